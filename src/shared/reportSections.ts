/**
 * The incident report's sections, in order: the core drafts them, the report page shows them and the
 * protocol names them, all from this one list. Browser-safe, no imports.
 */
export const sectionIds = ['summary', 'impact', 'timeline', 'resolution', 'learned', 'actionItems'] as const;
export type SectionId = (typeof sectionIds)[number];
