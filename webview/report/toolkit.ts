/**
 * The only module of the report page that knows about @vscode/webview-ui-toolkit (archived upstream):
 * the rest asks for a button, a text area or a checkbox here, so swapping to @vscode-elements touches
 * one file. Badges and determinate progress rings are not used: they write inline styles the CSP blocks.
 */
import {
  provideVSCodeDesignSystem,
  vsCodeButton,
  vsCodeCheckbox,
  vsCodeDivider,
  vsCodeTextArea,
} from '@vscode/webview-ui-toolkit';
import { custom } from '../shared/dom';

export function registerToolkit(): void {
  provideVSCodeDesignSystem().register(vsCodeButton(), vsCodeCheckbox(), vsCodeDivider(), vsCodeTextArea());
}

/** A toolkit element whose `value` the page reads and writes. */
export type ValueElement = HTMLElement & { value: string };
export type CheckedElement = HTMLElement & { checked: boolean };

export function button(
  label: string,
  onClick: () => void,
  options: { appearance?: 'primary' | 'secondary' | 'icon'; title?: string; className?: string } = {},
): HTMLElement {
  return custom(
    'vscode-button',
    {
      className: options.className,
      attrs: { appearance: options.appearance ?? 'secondary', title: options.title, 'aria-label': options.title },
      on: { click: () => onClick() },
    },
    label,
  );
}

export function textArea(options: { value: string; label: string; rows: number; className?: string }): ValueElement {
  const area = custom('vscode-text-area', {
    className: options.className,
    attrs: { 'aria-label': options.label, rows: options.rows, resize: 'vertical' },
  }) as ValueElement;
  area.value = options.value;
  return area;
}

export function checkbox(label: string, checked: boolean, onChange: (checked: boolean) => void): CheckedElement {
  const box = custom('vscode-checkbox', { attrs: { checked } }, label) as CheckedElement;
  box.checked = checked;
  box.addEventListener('change', () => onChange(box.checked));
  return box;
}

export function divider(): HTMLElement {
  return custom('vscode-divider');
}
