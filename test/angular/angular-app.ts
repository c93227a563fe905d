// Angular's npm packages are partially compiled: without the AOT linker of a real build, the JIT
// compiler must be loaded before any of their injectables is used.
import '@angular/compiler';
import {
  EnvironmentInjector,
  PLATFORM_ID,
  createEnvironmentInjector,
  platformCore,
  provideZonelessChangeDetection,
  ɵINJECTOR_SCOPE as INJECTOR_SCOPE,
  type EnvironmentProviders,
  type Provider,
} from '@angular/core';
import { afterAll, afterEach } from 'vitest';

/**
 * Registers hooks that destroy every app booted through the returned function after each test,
 * and Angular's platform after the file.
 *
 * An app here is what `bootstrapApplication` makes, without a DOM and a root component: a zoneless
 * root environment injector under the platform. `@angular/platform-browser` (not a dependency)
 * would mark the injector as `'root'` (its BrowserModule providers) and provide `PLATFORM_ID`;
 * these two providers stand in for it, so `providedIn: 'root'` services such as `PendingTasks`
 * resolve as in an app.
 *
 * @returns `boot(providers, platformId?)`, which creates an app injector that is destroyed after the test
 */
export function useAngularApps(): (providers: (Provider | EnvironmentProviders)[], platformId?: 'browser' | 'server') => EnvironmentInjector {
  const booted: EnvironmentInjector[] = [];
  afterEach(() => {
    for (const app of booted.splice(0)) app.destroy();
  });
  afterAll(() => platformCore().destroy());
  return (providers, platformId = 'browser') => {
    const app = createEnvironmentInjector(
      [{ provide: INJECTOR_SCOPE, useValue: 'root' }, { provide: PLATFORM_ID, useValue: platformId }, provideZonelessChangeDetection(), ...providers],
      platformInjector(),
      'camb-rx test app',
    );
    booted.push(app);
    return app;
  };
}

/** The platform's injector, the parent of app injectors (typed `Injector`, built as an environment injector). */
function platformInjector(): EnvironmentInjector {
  const { injector } = platformCore();
  if (!(injector instanceof EnvironmentInjector)) throw new TypeError('expected the platform injector to be an EnvironmentInjector');
  return injector;
}

/**
 * Reads a signal (or any getter) every millisecond and keeps each new value, the way a template
 * would see it, until `done` accepts one.
 *
 * @param read - the signal
 * @param done - when to stop
 * @param timeoutMs - how long to wait before rejecting
 * @returns every distinct value read, oldest first
 */
export async function readUntil<T>(read: () => T, done: (value: T) => boolean, timeoutMs = 5000): Promise<T[]> {
  const values = [read()];
  const deadline = Date.now() + timeoutMs;
  while (!done(values[values.length - 1] as T)) {
    if (Date.now() > deadline) throw new Error(`readUntil: no matching value within ${timeoutMs} ms; last: ${JSON.stringify(values.at(-1))}`);
    await new Promise((resolve) => setTimeout(resolve, 1));
    const value = read();
    if (value !== values[values.length - 1]) values.push(value);
  }
  return values;
}

/** Waits `ms` milliseconds of real time. */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
