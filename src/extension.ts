import type * as vscode from 'vscode';
import type * as Features from './features';
import { deferActivation } from './vscode/activationShell';

/**
 * Wiring only. Activation registers the commands, views, editor and report restore (src/vscode/activationShell.ts);
 * the features are dist/features.js, required on first use, so activating parses only this small bundle.
 */
export function activate(context: vscode.ExtensionContext) {
  const features = deferActivation(context, (surfaces) => loadFeatures().activateFeatures(context, surfaces));
  // The API (for the in-host tests): each part loads the features when first read.
  return {
    get clusters() {
      return features().clusters;
    },
    get incident() {
      return features().incident;
    },
    get readiness() {
      return features().readiness;
    },
    get prometheus() {
      return features().prometheus;
    },
    get explorer() {
      return features().explorer;
    },
  };
}

export function deactivate() {}

function loadFeatures(): typeof Features {
  // The build makes this a require of dist/features.js (scripts/build.mjs, `firstUse`).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./features') as typeof Features;
}
