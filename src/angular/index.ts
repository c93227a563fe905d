export { fetchViaHttpClient } from './http-client-fetch.js';
