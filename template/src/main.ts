// giosg Visitor Variables: sends, removes or clears giosg visitor variables through giosg's browser
// API, queueing the calls exactly as giosg's own snippet does until the giosg client has loaded.
import {
  copyFromWindow,
  createArgumentsQueue,
  injectScript,
  logToConsole,
  setInWindow,
  templateStorage,
} from 'gtm';
import type { TagData } from 'gtm';
import { planCalls, readFlag, type GiosgCall } from './calls';
import { checkOrganizationId, CLIENT_SCRIPT_PREFIX, GIOSG_HOST } from './client';
import type { Fields, UntrustedData } from './fields';
import { describe } from './values';

const LOG_PREFIX = 'giosg Visitor Variables: ';
/** Set in templateStorage (which lasts as long as the page) once this tag has loaded the client. */
const LOADED_BY_TAG = 'clientLoadedByTag';

/**
 * True when `_giosg._c` was set by the site's own giosg tag rather than by an earlier firing of this
 * tag (which keeps waiting on its own script load through injectScript's cache token).
 */
function loadedBySite(organizationOnPage: unknown): boolean {
  if (organizationOnPage === undefined || organizationOnPage === null || organizationOnPage === '')
    return false;
  return templateStorage.getItem(LOADED_BY_TAG) !== true;
}

/** Calls `_giosg` with exactly the call's arguments, so `arguments.length` is what giosg expects. */
function callGiosg(giosg: (...args: unknown[]) => void, call: GiosgCall): void {
  if (call.length === 2) giosg(call[0], call[1]);
  else if (call.length === 3) giosg(call[0], call[1], call[2]);
  else if (call.length === 5) giosg(call[0], call[1], call[2], call[3], call[4]);
  else giosg(call[0], call[1], call[2], call[3], call[4], call[5]);
}

export default function main(data: TagData<Fields>): void {
  // Field values come from GTM variables and can be of any type: read them as unknown.
  const input = data as UntrustedData;
  let finished = false;
  const finish = (ok: boolean) => {
    if (finished) return;
    finished = true;
    if (ok) data.gtmOnSuccess();
    else data.gtmOnFailure();
  };

  // giosg's own tag (the snippet) sets _giosg._c before it loads the client. Read before the queue
  // below creates _giosg, so only the site's snippet or an earlier firing of this tag can have set it.
  const organizationOnPage: unknown = copyFromWindow('_giosg._c');
  // Like giosg's snippet (w[o] = w[o] || function () { (w[o]._e = w[o]._e || []).push(arguments) }):
  // an existing _giosg (the live client or the snippet's stub) is kept; otherwise calls wait in _e.
  const giosg = createArgumentsQueue('_giosg', '_giosg._e');
  const plan = planCalls(input);
  const problems = plan.problems;

  let organizationId: string | undefined;
  if (readFlag(input.loadClient, 'Load the giosg client', problems)) {
    const organization = checkOrganizationId(input.organizationId);
    if (!organization.ok) problems.push(organization.reason);
    else if (loadedBySite(organizationOnPage)) {
      // The site's own giosg tag loads the client: a second client would run giosg twice.
      logToConsole(
        LOG_PREFIX +
          'the page already has the giosg tag (organization ' +
          describe(organizationOnPage) +
          '), so the giosg client was not loaded again.',
      );
    } else {
      organizationId = organization.organizationId;
      templateStorage.setItem(LOADED_BY_TAG, true);
    }
  }
  if (organizationId !== undefined) {
    // As giosg's snippet does: _c and _h are set even on an existing _giosg.
    setInWindow('_giosg._c', organizationId, true);
    setInWindow('_giosg._h', GIOSG_HOST, true);
  }

  plan.calls.forEach((call) => callGiosg(giosg, call));
  problems.forEach((problem) => logToConsole(LOG_PREFIX + problem));

  if (organizationId === undefined) {
    finish(problems.length === 0);
    return;
  }
  // Built right here from constants so the compiler can see the URL prefix it must permit.
  const clientScriptUrl = CLIENT_SCRIPT_PREFIX + organizationId;
  injectScript(
    clientScriptUrl,
    () => finish(problems.length === 0),
    () => {
      logToConsole(
        LOG_PREFIX +
          'the giosg client could not be loaded from ' +
          clientScriptUrl +
          '. Check the organization ID and that nothing blocks service.giosg.com.',
      );
      finish(false);
    },
    // The cache token makes GTM inject the script once per page however often the tag fires.
    clientScriptUrl,
  );
}
