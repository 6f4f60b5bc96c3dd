// Types of lang.mjs, for the Vitest that proves the check.
export interface Item {
  text: string;
  where: string;
  kind: string;
  verbatim?: string;
  lang?: string;
  technical: boolean;
  inDetails: boolean;
}
export interface Problem extends Item {
  why: string;
}
export const ALLOWED: string[];
export const VERBATIM: Record<string, RegExp>;
export function collect(): Item[];
export function foreign(items: Item[], opts?: { known?: string[] }): Problem[];
export function report(problems: Problem[]): string;
