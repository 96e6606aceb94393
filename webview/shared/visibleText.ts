/**
 * Text from a database as a person should see it in one line: line breaks and tabs as symbols, and
 * invisible controls (bidi overrides that make "\u202eevil" read "live", zero-width joiners, C0
 * controls) as their code point, so a name cannot pass for another. The full value is what "Copy"
 * gives; this is only how it is drawn.
 */
const CONTROLS =
  // Matching control characters is the point here.
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;

export function visibleText(text: string): string {
  return text
    .replace(/\r\n|\n|\r/g, '↵')
    .replace(/\t/g, '⇥')
    .replace(CONTROLS, (c) => `⟨U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}⟩`);
}

/** Whether drawing changed anything (the grid marks such cells). */
export const hasInvisibles = (text: string): boolean => visibleText(text) !== text;
