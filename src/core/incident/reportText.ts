import { redactText } from '../secrets';
import { inertText } from '../../shared/untrustedText';

/**
 * The one call for a string from the journal, the cluster or the hub going into the report's Markdown:
 * secrets redacted first (escaping would hide them from the patterns), then made inert Markdown.
 */
export const reportText = (text: string): string => inertText(redactText(text), 'markdown');
