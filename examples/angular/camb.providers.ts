import { HttpClient } from '@angular/common/http';
import { InjectionToken, inject, makeEnvironmentProviders, type EnvironmentProviders } from '@angular/core';
import { createCambClient, type BudgetOptions, type CambClient, type CambOptions } from 'camb-rx';
import { fetchViaHttpClient } from 'camb-rx/angular';

/**
 * The app's one CAMB client: one connection and one request budget shared by every component.
 *
 * @example
 * ```ts
 * const camb = inject(CAMB_CLIENT);
 * camb.createTranscription$({ language: 1, mediaUrl }).subscribe(({ taskId }) => router.navigate(['/tasks', taskId]));
 * ```
 */
export const CAMB_CLIENT = new InjectionToken<CambClient>('CAMB_CLIENT');

/**
 * Provides {@link CAMB_CLIENT}, sending its requests through the app's `HttpClient` so that your
 * interceptors see them. Needs `provideHttpClient()` (with `withFetch()` for SSR and modern browsers).
 *
 * @param options - `apiKey`, connection and budget options (the transport is HttpClient)
 * @returns providers for `bootstrapApplication` / `ApplicationConfig.providers`
 * @example
 * ```ts
 * bootstrapApplication(AppComponent, {
 *   providers: [provideHttpClient(withFetch()), provideCambClient({ apiKey: environment.cambApiKey })],
 * });
 * ```
 */
export function provideCambClient(options: Omit<CambOptions & BudgetOptions, 'fetch'>): EnvironmentProviders {
  return makeEnvironmentProviders([
    { provide: CAMB_CLIENT, useFactory: () => createCambClient({ ...options, fetch: fetchViaHttpClient(inject(HttpClient)) }) },
  ]);
}
