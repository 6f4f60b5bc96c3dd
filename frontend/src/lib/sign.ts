// What the Sign screen still needs before its button works, in the order a
// person would do it.
import type { FileInfo, Stamp } from './types';

export interface Entry {
  info: FileInfo;
  file?: File;
}

export type Need = 'files' | 'card' | 'stamp' | 'accept' | 'pin';

export function missing(s: { files: Entry[]; cardReady: boolean; hasPDF: boolean; stampOn: boolean; stamp?: Stamp; accepted: boolean; pinOK: boolean }): Need[] {
  const out: Need[] = [];
  if (s.files.length === 0) out.push('files');
  if (!s.cardReady) out.push('card');
  if (s.hasPDF && s.stampOn && !s.stamp) out.push('stamp');
  if (!s.accepted) out.push('accept');
  if (!s.pinOK) out.push('pin');
  return out;
}
