/**
 * What the output-mode rules (Spark's UnsupportedOperationChecker, see output-mode-check.ts) need to know about each
 * operator of a plan. Operators declare them at build time; core checks them, so they live here, below components.
 */
export type StreamingFacts =
  | { kind: 'watermark'; column: string }
  | { kind: 'aggregation'; keys: string[]; watermarkedKey?: string; sessionWindow?: string }
  | { kind: 'dedup'; withinWatermark: boolean; watermarkedColumn?: string };
