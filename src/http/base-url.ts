import { optionError } from '../util/assert-option.js';
import { REDACTED } from '../util/redactor.js';

const isLoopback = (hostname: string): boolean =>
  hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname);

/** A refused `baseUrl` as an error may show it: its credentials (`user:password@`) replaced. */
const withoutCredentials = (value: unknown): unknown => (typeof value === 'string' ? value.replace(/(\/\/)[^/?#]*@/, `$1${REDACTED}@`) : value);

/**
 * Checks `baseUrl` and returns it without a trailing slash. `https:` always; `http:` only to
 * loopback unless `allowInsecureHttp`, so a key never crosses a network in clear text by mistake.
 *
 * @throws TypeError for anything else; its message never shows the URL's credentials
 */
export function parseBaseUrl(value: unknown, allowInsecureHttp: boolean): string {
  const url = typeof value === 'string' && URL.canParse(value) ? new URL(value) : undefined;
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || url.search || url.hash || url.username || url.password) {
    throw optionError('baseUrl', 'an absolute http(s) URL without query, fragment or credentials', withoutCredentials(value));
  }
  if (url.protocol === 'http:' && !allowInsecureHttp && !isLoopback(url.hostname)) {
    throw new TypeError(
      `camb-rx: refusing plain http to ${url.host}: the API key would travel unencrypted. Use https, or set allowInsecureHttp: true`,
    );
  }
  return url.href.replace(/\/+$/, '');
}
