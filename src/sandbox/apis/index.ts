// Every API the runtime implements, by the name passed to `require`.

import { NETWORK_APIS } from './network.js';
import { PAGE_APIS } from './page.js';
import { PURE_APIS } from './pure.js';
import type { ApiDefinition } from './types.js';
import { WINDOW_APIS } from './window.js';

export const IMPLEMENTED_APIS: Readonly<Record<string, ApiDefinition>> = {
  ...PURE_APIS,
  ...WINDOW_APIS,
  ...NETWORK_APIS,
  ...PAGE_APIS,
};

export function implementedApi(name: string): ApiDefinition | undefined {
  return Object.prototype.hasOwnProperty.call(IMPLEMENTED_APIS, name) ? IMPLEMENTED_APIS[name] : undefined;
}
