/**
 * The de-duplication fingerprint (S1.4): MD5 over the alert's status and its sorted labels.
 * Annotations are left out on purpose: they carry changing values (the current usage) and would
 * make every repeat look new.
 */
import { hash } from 'node:crypto';

/** MD5 hex of `status` and the labels sorted by name; stable for any label order. */
export function fingerprint(status: string, labels: Readonly<Record<string, string>>): string {
  let text = status;
  for (const name of sortedKeys(labels)) {
    // Length-prefixed: label names and values cannot be confused across boundaries, even when a
    // value itself contains the separator (JSON allows "\u0000" in a label value).
    const value = labels[name] ?? '';
    text += `\0${name.length}:${name}\0${value.length}:${value}`;
  }
  return hash('md5', text, 'hex');
}

/** Label names in order; Alertmanager already sends them sorted (Go sorts map keys), so check first. */
function sortedKeys(labels: Readonly<Record<string, string>>): string[] {
  const keys = Object.keys(labels);
  for (let i = 1; i < keys.length; i++) {
    if ((keys[i - 1] as string) > (keys[i] as string)) return keys.sort();
  }
  return keys;
}
