import type { ColumnOptions } from 'typeorm';

/**
 * A BIGINT column of microseconds since the epoch (see `datetime.ts`). Drivers may hand BIGINT
 * back as a string; the transformer makes it a number again.
 */
export function microsColumn(options: Partial<ColumnOptions> = {}): ColumnOptions {
  return {
    type: 'bigint',
    ...options,
    transformer: {
      to: (value: number | null | undefined) => value,
      from: (value: string | number | null) => (value === null || value === undefined ? value : Number(value)),
    },
  };
}
