/** A distribution-free confidence interval for the median (order statistics; see median-interval.mjs). */
export declare function medianInterval(values: readonly number[], level?: number): { low: number; high: number; level: number } | undefined;
