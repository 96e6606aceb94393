/**
 * The one module of the webview pages that knows about @vscode/webview-ui-toolkit (archived upstream):
 * both pages ask for a button, a text area or tabs here, so a move to another component library touches
 * this file only. Badges and determinate progress rings are not used: they write inline
 * style attributes the CSP blocks.
 */
import {
  provideVSCodeDesignSystem,
  vsCodeButton,
  vsCodeCheckbox,
  vsCodeDropdown,
  vsCodeOption,
  vsCodePanels,
  vsCodePanelTab,
  vsCodePanelView,
  vsCodeTextArea,
  vsCodeTextField,
} from '@vscode/webview-ui-toolkit';
import { custom, type Child } from './dom';

/** Registers the toolkit's elements (each page's main.ts, once, before it builds anything). */
export function registerToolkit(): void {
  provideVSCodeDesignSystem().register(
    vsCodeButton(),
    vsCodeCheckbox(),
    vsCodeDropdown(),
    vsCodeOption(),
    vsCodePanels(),
    vsCodePanelTab(),
    vsCodePanelView(),
    vsCodeTextArea(),
    vsCodeTextField(),
  );
}

/** A toolkit element whose `value` the page reads and writes. */
export type ValueElement = HTMLElement & { value: string };
export type CheckedElement = HTMLElement & { checked: boolean };

/** A button; `title` is its tooltip, and its accessible name too when it has no label of its own. */
export function button(
  label: string,
  onClick: () => void,
  options: { appearance?: 'primary' | 'secondary' | 'icon'; title?: string; className?: string; id?: string } = {},
): HTMLElement {
  return custom(
    'vscode-button',
    {
      className: options.className,
      attrs: {
        appearance: options.appearance ?? 'secondary',
        title: options.title,
        id: options.id,
        'aria-label': label ? undefined : options.title,
      },
      on: { click: () => onClick() },
    },
    label,
  );
}

export function setEnabled(element: HTMLElement, enabled: boolean): void {
  element.toggleAttribute('disabled', !enabled);
}

export function textArea(options: {
  value: string;
  placeholder?: string;
  label: string;
  rows: number;
  className?: string;
}): ValueElement {
  const area = custom('vscode-text-area', {
    className: options.className,
    attrs: { placeholder: options.placeholder, 'aria-label': options.label, rows: options.rows, resize: 'vertical' },
  }) as ValueElement;
  area.value = options.value;
  return area;
}

export function textField(options: {
  value: string;
  placeholder: string;
  label: string;
  className?: string;
}): ValueElement {
  const field = custom(
    'vscode-text-field',
    { className: options.className, attrs: { placeholder: options.placeholder, 'aria-label': options.label } },
    options.label,
  ) as ValueElement;
  field.value = options.value;
  return field;
}

export function dropdown(
  choices: { value: string; label: string }[],
  selected: string,
  onChange: (value: string) => void,
  label: string,
): ValueElement {
  const select = custom(
    'vscode-dropdown',
    { attrs: { 'aria-label': label, title: label } },
    ...choices.map((choice) => option(choice.value, choice.label, choice.value === selected)),
  ) as ValueElement;
  select.addEventListener('change', () => onChange(select.value));
  return select;
}

export function option(value: string, label: string, selected = false): HTMLElement {
  return custom('vscode-option', { attrs: { value, selected } }, label);
}

/** Tabs: the toolkit's panels, with one tab and one view per entry. */
export function tabs(
  entries: { id: string; label: string; view: Child }[],
  active: string,
  onChange: (id: string) => void,
): HTMLElement & { activeid: string } {
  const panels = custom(
    'vscode-panels',
    { className: 'tabs', attrs: { activeid: `tab-${active}` } },
    ...entries.map((e) => custom('vscode-panel-tab', { attrs: { id: `tab-${e.id}` } }, e.label)),
    ...entries.map((e) => custom('vscode-panel-view', { attrs: { id: `view-${e.id}` } }, e.view)),
  ) as HTMLElement & { activeid: string };
  panels.addEventListener('change', () => {
    const id = panels.activeid?.replace(/^tab-/, '');
    if (id) onChange(id);
  });
  return panels;
}

export function checkbox(label: string, checked: boolean, onChange: (checked: boolean) => void): CheckedElement {
  const box = custom('vscode-checkbox', { attrs: { checked } }, label) as CheckedElement;
  box.checked = checked;
  box.addEventListener('change', () => onChange(box.checked));
  return box;
}
