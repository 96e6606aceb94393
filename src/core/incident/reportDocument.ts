/**
 * The report as the operator edits it, persisted between sessions. Each section keeps the drafted text
 * and the operator's edit apart, so a re-draft (after more of the incident was journaled) refreshes what
 * the operator left alone and never overwrites what they wrote.
 */
import { err, ok, UserError, type Result } from '../result';
import { resolutionPrompt, resolutionSectionPrompt, sectionIds, type ReportDraft, type SectionId } from './reportDraft';

export interface ReportSection {
  drafted: string;
  /** The operator's text, or null while they have not changed the draft. */
  edited: string | null;
}

export interface ReportDocument {
  sections: { [id in SectionId]: ReportSection };
  /** When the drafted texts were last produced (ISO 8601). */
  draftedAt: string;
  /** Evidence is generated, not edited: every re-draft replaces it. */
  evidence: string;
}

export function effectiveText(section: ReportSection): string {
  return section.edited ?? section.drafted;
}

/** Whether the operator wrote the Resolution section (an edit that is more than the draft's prompt). */
export function resolutionWritten(doc: ReportDocument): boolean {
  const edited = doc.sections.resolution.edited;
  return edited !== null && edited.replace(resolutionSectionPrompt, '').trim() !== '';
}

/**
 * A section as the report shows it: once the operator has written the Resolution, the Summary no longer
 * asks them to say what was done, whether its text is the draft or their edit around the prompt.
 */
export function shownSection(doc: ReportDocument, id: SectionId): ReportSection {
  const section = doc.sections[id];
  if (id !== 'summary' || !resolutionWritten(doc)) return section;
  const withoutPrompt = (text: string) =>
    text
      .split(/\n{2,}/)
      .filter((paragraph) => paragraph.trim() !== resolutionPrompt)
      .join('\n\n');
  return {
    drafted: withoutPrompt(section.drafted),
    edited: section.edited === null ? null : withoutPrompt(section.edited),
  };
}

/** What a section says in the report (Markdown export, Copy): `shownSection`'s effective text. */
export function sectionText(doc: ReportDocument, id: SectionId): string {
  return effectiveText(shownSection(doc, id));
}

export function newReportDocument(draft: ReportDraft): ReportDocument {
  const sections = Object.fromEntries(sectionIds.map((id) => [id, { drafted: draft.sections[id], edited: null }]));
  return { sections: sections as ReportDocument['sections'], draftedAt: draft.draftedAt, evidence: draft.evidence };
}

/** Records the operator's text for a section; text equal to the draft counts as no edit. */
export function editSection(doc: ReportDocument, id: SectionId, text: string): ReportDocument {
  const section = doc.sections[id];
  const edited = text === section.drafted ? null : text;
  return { ...doc, sections: { ...doc.sections, [id]: { ...section, edited } } };
}

/**
 * Takes a new draft. Sections the operator did not edit take the new text; edited sections keep the
 * operator's text, and when the new draft differs from the one they edited, the section is returned in
 * `conflicts` so the UI can ask (keep mine / take the new draft via `editSection(doc, id, drafted)`).
 */
export function redraft(doc: ReportDocument, draft: ReportDraft): { doc: ReportDocument; conflicts: SectionId[] } {
  const conflicts: SectionId[] = [];
  const sections = { ...doc.sections };
  for (const id of sectionIds) {
    const old = doc.sections[id];
    const drafted = draft.sections[id];
    if (old.edited !== null && old.drafted !== drafted) conflicts.push(id);
    sections[id] = { drafted, edited: old.edited };
  }
  return { doc: { sections, draftedAt: draft.draftedAt, evidence: draft.evidence }, conflicts };
}

/** Reads a persisted document back, or says why it cannot be used (the caller then drafts afresh). */
export function parseReportDocument(json: string): Result<ReportDocument> {
  const bad = (why: string) =>
    err(
      new UserError(
        `The saved incident report cannot be read (${why}); it will be drafted again.`,
        'report-document-invalid',
      ),
    );
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return bad('not JSON');
  }
  if (typeof value !== 'object' || value === null) return bad('not an object');
  const v = value as Record<string, unknown>;
  if (typeof v.draftedAt !== 'string' || typeof v.sections !== 'object' || v.sections === null)
    return bad('missing fields');
  const sections: Partial<Record<SectionId, ReportSection>> = {};
  for (const id of sectionIds) {
    const s = (v.sections as Record<string, unknown>)[id] as Record<string, unknown> | undefined;
    if (!s || typeof s.drafted !== 'string' || !(s.edited === null || typeof s.edited === 'string'))
      return bad(`section ${id}`);
    sections[id] = { drafted: s.drafted, edited: s.edited };
  }
  return ok({
    sections: sections as ReportDocument['sections'],
    draftedAt: v.draftedAt,
    evidence: typeof v.evidence === 'string' ? v.evidence : '',
  });
}
