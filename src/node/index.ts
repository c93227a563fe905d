export { readMediaFile } from './read-media-file.js';
export { toAsyncIterable, OverflowStrategies, type OverflowStrategy, type AsyncIterableOptions } from './to-async-iterable.js';
export { toReadable, type ReadableOptions } from './to-readable.js';
