import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readMediaFile } from '../../src/node/index.js';

describe('readMediaFile', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('opens a file as a Blob with its base name and type', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'camb-rx-media-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'talk.wav'), 'RIFF....WAVE');
    const { mediaFile, fileName } = await readMediaFile(join(dir, 'talk.wav'), 'audio/wav');
    expect(fileName).toBe('talk.wav');
    expect(mediaFile.type).toBe('audio/wav');
    expect(await mediaFile.text()).toBe('RIFF....WAVE');
  });

  it('rejects, naming the path, for a file it cannot open', async () => {
    await expect(readMediaFile('/no/such/dir/talk.wav')).rejects.toThrow('cannot open the media file "/no/such/dir/talk.wav"');
  });
});
