// The loopback CAMB simulator in its own process, so that its CPU time and allocations are not
// counted with the client's (process.cpuUsage() and the heap are per process). Driven over IPC:
//   parent -> { type: 'add', ids, pendingPolls }   child -> { type: 'added' }
//   parent -> { type: 'arrivals' }                 child -> { type: 'arrivals', startedAt: [ms, …] }
//   parent -> { type: 'close' }                     child exits
// (`arrivals`: when each status request arrived, the simulator's performance.now(), in order.)
// The parent learns the base URL and key from the first message { type: 'ready', url, apiKey }.
import { startCambSimulator } from 'camb-rx/testing';

const simulator = await startCambSimulator(); // binds 127.0.0.1 only, port 0
process.send({ type: 'ready', url: simulator.url, apiKey: simulator.apiKey });

process.on('message', async (message) => {
  if (message.type === 'add') {
    for (const id of message.ids) simulator.addTask({ id, pendingPolls: message.pendingPolls });
    process.send({ type: 'added' });
  } else if (message.type === 'arrivals') {
    const startedAt = simulator.requests.filter((entry) => entry.route === 'status').map((entry) => entry.startedAt);
    process.send({ type: 'arrivals', startedAt });
  } else if (message.type === 'close') {
    await simulator.close();
    process.exit(0);
  }
});
// If the parent dies, do not linger.
process.on('disconnect', () => void simulator.close().then(() => process.exit(0)));
