import { redactText } from '../secrets';

/**
 * A file-name-safe slug: lower-case ASCII letters, digits and single hyphens, at most `max` characters.
 * Accents are folded ("Café" → "cafe"); anything else (slashes, dots, emoji) becomes a hyphen, so a title
 * can never climb out of its folder or hide a file. Secrets in the text are redacted first: file names
 * (journals, exported reports) are shown, listed and committed.
 */
export function slugify(text: string, max = 60): string {
  const slug = redactText(text)
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, max)
    .replace(/-+$/, '');
  return slug || 'incident';
}
