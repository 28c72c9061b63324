// Every API the runtime implements, by context and by the name passed to `require`. The pure
// APIs are shared; web and server templates each add their own (some names, such as
// `getCookieValues`, exist in both with a different world behind them).

import type { ContainerContext } from '../../tpl/model.js';
import { PURE_APIS } from './pure/index.js';
import { SERVER_APIS } from './server/index.js';
import type { ApiDefinition } from './types.js';
import { WEB_APIS } from './web/index.js';

export const IMPLEMENTED_APIS: Readonly<Record<ContainerContext, Readonly<Record<string, ApiDefinition>>>> = {
  WEB: { ...PURE_APIS, ...WEB_APIS },
  SERVER: { ...PURE_APIS, ...SERVER_APIS },
};

export function implementedApi(name: string, context: ContainerContext): ApiDefinition | undefined {
  const apis = IMPLEMENTED_APIS[context];
  return Object.prototype.hasOwnProperty.call(apis, name) ? apis[name] : undefined;
}
