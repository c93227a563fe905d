export { readMediaFile } from './read-media-file.js';
