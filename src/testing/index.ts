export { startCambSimulator } from './start-camb-simulator.js';
export type { CambSimulator } from './camb-simulator.js';
export type { CambSimulatorOptions } from './simulator-options.js';
export type {
  CreatedTaskTemplate,
  FailureOutcome,
  SimulatedTask,
  SuccessOutcome,
  TaskFaults,
  TaskOutcome,
  TaskSnapshot,
} from './simulated-task.js';
export { ResultShapes } from './transcript.js';
export type { ResultShape, SimulatedSegment } from './transcript.js';
export { FaultTypes } from './fault.js';
export type {
  BodyFault,
  DelayFault,
  DripFault,
  Fault,
  FaultType,
  HangFault,
  HtmlErrorFault,
  HttpFault,
  MalformedJsonFault,
  OversizeFault,
  ResetBeforeHeadersFault,
  ResetMidBodyFault,
  WrongContentTypeFault,
} from './fault.js';
export type { InjectFaultOptions, RandomFaultsOptions } from './fault-sources.js';
export type { PathMatcher } from './path-matcher.js';
export { SimulatorRoutes } from './request-log-entry.js';
export type { LoggedFile, LoggedFormValue, RequestLogEntry, SimulatorRoute } from './request-log-entry.js';
export type { SimulatorStats } from './request-stats.js';
export { oracleFrontier, type FrontierPoint, type SampleFigures } from './oracle-frontier.js';
