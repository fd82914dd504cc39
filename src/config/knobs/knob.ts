/** One configurable value: its type, default, bounds and meaning; flag, env var and file key derive from its name. */
export type Kind = 'int' | 'number' | 'boolean' | 'string' | { enum: readonly string[] };

export interface Knob {
  kind: Kind;
  default: unknown;
  description: string;
  min?: number;
  max?: number;
  optional?: boolean;
  /** Never printed or logged (the startup dump shows [redacted]). */
  secret?: boolean;
}
