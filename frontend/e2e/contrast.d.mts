// Types of contrast.mjs, for the Vitest that checks the style sheets.
export function parse(css: string, under?: number[]): number[] | null;
export function alpha(css: string): number;
export function ratio(a: string | number[], b: string | number[]): number;
