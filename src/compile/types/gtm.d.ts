// Typings of the virtual module 'gtm' for web templates: the sandbox APIs a template imports, typed
// after Google's sandboxed-JavaScript API reference, plus the types of `data` and of the form's
// special fields. Server projects get gtm-server.d.ts as 'gtm' instead.
// `import { callInWindow } from 'gtm'` compiles to `const callInWindow = require('callInWindow');`.

/// <reference path="./gtm-globals.d.ts" />

export type { Label, FormData, TagData, VariableData } from './gtm-data';

export declare const aliasInWindow: GtmApis['aliasInWindow'];
export declare const callInWindow: GtmApis['callInWindow'];
export declare const callLater: GtmApis['callLater'];
export declare const copyFromDataLayer: GtmApis['copyFromDataLayer'];
export declare const copyFromWindow: GtmApis['copyFromWindow'];
export declare const createArgumentsQueue: GtmApis['createArgumentsQueue'];
export declare const createQueue: GtmApis['createQueue'];
export declare const decodeUri: GtmApis['decodeUri'];
export declare const decodeUriComponent: GtmApis['decodeUriComponent'];
export declare const encodeUri: GtmApis['encodeUri'];
export declare const encodeUriComponent: GtmApis['encodeUriComponent'];
export declare const fromBase64: GtmApis['fromBase64'];
export declare const generateRandom: GtmApis['generateRandom'];
export declare const getContainerVersion: GtmApis['getContainerVersion'];
export declare const getCookieValues: GtmApis['getCookieValues'];
export declare const getQueryParameters: GtmApis['getQueryParameters'];
export declare const getReferrerQueryParameters: GtmApis['getReferrerQueryParameters'];
export declare const getReferrerUrl: GtmApis['getReferrerUrl'];
export declare const getTimestamp: GtmApis['getTimestamp'];
export declare const getTimestampMillis: GtmApis['getTimestampMillis'];
export declare const getType: GtmApis['getType'];
export declare const getUrl: GtmApis['getUrl'];
export declare const gtagSet: GtmApis['gtagSet'];
export declare const injectHiddenIframe: GtmApis['injectHiddenIframe'];
export declare const injectScript: GtmApis['injectScript'];
export declare const isConsentGranted: GtmApis['isConsentGranted'];
export declare const addConsentListener: GtmApis['addConsentListener'];
export declare const addEventCallback: GtmApis['addEventCallback'];
export declare const localStorage: GtmApis['localStorage'];
export declare const logToConsole: GtmApis['logToConsole'];
export declare const makeInteger: GtmApis['makeInteger'];
export declare const makeNumber: GtmApis['makeNumber'];
export declare const makeString: GtmApis['makeString'];
export declare const makeTableMap: GtmApis['makeTableMap'];
export declare const parseUrl: GtmApis['parseUrl'];
export declare const queryPermission: GtmApis['queryPermission'];
export declare const readAnalyticsStorage: GtmApis['readAnalyticsStorage'];
export declare const readCharacterSet: GtmApis['readCharacterSet'];
export declare const readTitle: GtmApis['readTitle'];
export declare const sendPixel: GtmApis['sendPixel'];
export declare const setCookie: GtmApis['setCookie'];
export declare const setDefaultConsentState: GtmApis['setDefaultConsentState'];
export declare const setInWindow: GtmApis['setInWindow'];
export declare const sha256: GtmApis['sha256'];
export declare const templateStorage: GtmApis['templateStorage'];
export declare const toBase64: GtmApis['toBase64'];
export declare const updateConsentState: GtmApis['updateConsentState'];
export declare const JSON: GtmApis['JSON'];
export declare const Math: GtmApis['Math'];
export declare const Object: GtmApis['Object'];
