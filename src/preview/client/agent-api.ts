// The contract between the preview page and the agent in the simulated page (`page-agent.ts`): the
// preview page hands it the form and the variables, the agent builds `data` on its own page (where
// the variables are read) and fires the template there. Everything crosses as plain data.

import type { Parameter } from '../../tpl/model.js';
import type { FormValues } from '../form/values.js';
import type { VariableDefinition } from '../page/setup.js';
import type { Firing } from '../result.js';

export interface FireRequest {
  /** The template's `.tpl` text. */
  tpl: string;
  parameters: Parameter[];
  values: FormValues;
  variables: VariableDefinition[];
  debugMode: boolean;
}

/** What a firing reports from the page (the server's answered requests are added outside). */
export type AgentFiring = Firing;

export interface PreviewAgent {
  /** Problems met while the page applied its setup (the page script threw, a push is not valid JavaScript). */
  readonly setupErrors: string[];
  fire(request: FireRequest): Promise<AgentFiring>;
}

/** Where the agent puts itself on the simulated page's `window`. */
export const AGENT_GLOBAL = '__gtmPreviewAgent';
