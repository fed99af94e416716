// Typed text made safe to store and show: invisible format characters (Unicode Cf — zero-width spaces and joiners,
// bidi overrides and isolates, the BOM, soft hyphens) and control characters other than tab and newline removed.
// A required field of nothing but these is empty; a place cannot be shown reversed to the office.

const FORMAT = /\p{Cf}/gu;
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;

/** The text without format and control characters; line ends made \n. Not trimmed. */
export function stripInvisible(s: string): string {
  return s.replace(/\r\n?/g, '\n').replace(FORMAT, '').replace(CONTROL, '');
}

/** Stripped and trimmed; undefined when nothing visible is left. */
export function cleanText(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  const t = stripInvisible(v).trim();
  return t === '' ? undefined : t;
}
