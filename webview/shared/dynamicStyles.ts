/**
 * Styles that change at runtime (a grid's scroll offset, its column widths) without a `style`
 * attribute: one constructed stylesheet per owner, adopted by the document and rewritten as a whole.
 * The CSP allows no inline styles; constructed sheets are not inline markup.
 */
export class DynamicStyles {
  private readonly sheet = new CSSStyleSheet();
  private current = '';

  constructor() {
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, this.sheet];
  }

  set(rules: string): void {
    if (rules === this.current) return;
    this.current = rules;
    this.sheet.replaceSync(rules);
  }

  dispose(): void {
    document.adoptedStyleSheets = document.adoptedStyleSheets.filter((s) => s !== this.sheet);
  }
}
