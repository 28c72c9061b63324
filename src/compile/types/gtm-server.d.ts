// Typings of the virtual module 'gtm' for server templates (clients, tags and variables of a server
// container), after Google's "Server-side tagging APIs" reference: the APIs a server template
// imports, plus the types of `data`. A project with "context": "SERVER" in template.json gets this
// file as 'gtm' (tsconfig.server.json maps it for editors), so web-only APIs are not there at all.
// `import { getEventData } from 'gtm'` compiles to `const getEventData = require('getEventData');`.

/// <reference path="./gtm-server-globals.d.ts" />

export type { Label, FormData, TagData, VariableData, ClientData } from './gtm-data';

/** The server value types, by name: a sandboxed promise, an HTTP response and its failure, … */
export type SandboxPromise<T> = GtmPromise<T>;
export type HttpResponse = GtmHttpResponse;
export type HttpFailure = GtmHttpFailure;
export type HttpRequestOptions = GtmHttpRequestOptions;
export type CookieOptions = GtmServerCookieOptions;
export type EventData = GtmEvent;

export declare const addEventCallback: GtmServerApis['addEventCallback'];
export declare const addMessageListener: GtmServerApis['addMessageListener'];
export declare const callLater: GtmServerApis['callLater'];
export declare const claimRequest: GtmServerApis['claimRequest'];
export declare const computeEffectiveTldPlusOne: GtmServerApis['computeEffectiveTldPlusOne'];
export declare const createRegex: GtmServerApis['createRegex'];
export declare const decodeUri: GtmServerApis['decodeUri'];
export declare const decodeUriComponent: GtmServerApis['decodeUriComponent'];
export declare const encodeUri: GtmServerApis['encodeUri'];
export declare const encodeUriComponent: GtmServerApis['encodeUriComponent'];
export declare const extractEventsFromMpv1: GtmServerApis['extractEventsFromMpv1'];
export declare const extractEventsFromMpv2: GtmServerApis['extractEventsFromMpv2'];
export declare const fromBase64: GtmServerApis['fromBase64'];
export declare const generateRandom: GtmServerApis['generateRandom'];
export declare const getAllEventData: GtmServerApis['getAllEventData'];
export declare const getClientName: GtmServerApis['getClientName'];
export declare const getContainerVersion: GtmServerApis['getContainerVersion'];
export declare const getCookieValues: GtmServerApis['getCookieValues'];
export declare const getEventData: GtmServerApis['getEventData'];
export declare const getGoogleAuth: GtmServerApis['getGoogleAuth'];
export declare const getGoogleScript: GtmServerApis['getGoogleScript'];
export declare const getRemoteAddress: GtmServerApis['getRemoteAddress'];
export declare const getRequestBody: GtmServerApis['getRequestBody'];
export declare const getRequestHeader: GtmServerApis['getRequestHeader'];
export declare const getRequestMethod: GtmServerApis['getRequestMethod'];
export declare const getRequestPath: GtmServerApis['getRequestPath'];
export declare const getRequestQueryParameter: GtmServerApis['getRequestQueryParameter'];
export declare const getRequestQueryParameters: GtmServerApis['getRequestQueryParameters'];
export declare const getRequestQueryString: GtmServerApis['getRequestQueryString'];
export declare const getTimestamp: GtmServerApis['getTimestamp'];
export declare const getTimestampMillis: GtmServerApis['getTimestampMillis'];
export declare const getType: GtmServerApis['getType'];
export declare const hasMessageListener: GtmServerApis['hasMessageListener'];
export declare const hmacSha256: GtmServerApis['hmacSha256'];
export declare const isRequestMpv1: GtmServerApis['isRequestMpv1'];
export declare const isRequestMpv2: GtmServerApis['isRequestMpv2'];
export declare const logToConsole: GtmServerApis['logToConsole'];
export declare const makeInteger: GtmServerApis['makeInteger'];
export declare const makeNumber: GtmServerApis['makeNumber'];
export declare const makeString: GtmServerApis['makeString'];
export declare const makeTableMap: GtmServerApis['makeTableMap'];
export declare const parseUrl: GtmServerApis['parseUrl'];
export declare const queryPermission: GtmServerApis['queryPermission'];
export declare const returnResponse: GtmServerApis['returnResponse'];
export declare const runContainer: GtmServerApis['runContainer'];
export declare const sendEventToGoogle: GtmServerApis['sendEventToGoogle'];
export declare const sendEventToGoogleAnalytics: GtmServerApis['sendEventToGoogleAnalytics'];
export declare const sendHttpGet: GtmServerApis['sendHttpGet'];
export declare const sendHttpRequest: GtmServerApis['sendHttpRequest'];
export declare const sendMessage: GtmServerApis['sendMessage'];
export declare const sendPixelFromBrowser: GtmServerApis['sendPixelFromBrowser'];
export declare const setCookie: GtmServerApis['setCookie'];
export declare const setPixelResponse: GtmServerApis['setPixelResponse'];
export declare const setResponseBody: GtmServerApis['setResponseBody'];
export declare const setResponseHeader: GtmServerApis['setResponseHeader'];
export declare const setResponseStatus: GtmServerApis['setResponseStatus'];
export declare const sha256: GtmServerApis['sha256'];
export declare const sha256Sync: GtmServerApis['sha256Sync'];
export declare const templateDataStorage: GtmServerApis['templateDataStorage'];
export declare const testRegex: GtmServerApis['testRegex'];
export declare const toBase64: GtmServerApis['toBase64'];
export declare const BigQuery: GtmServerApis['BigQuery'];
export declare const Firestore: GtmServerApis['Firestore'];
export declare const JSON: GtmServerApis['JSON'];
export declare const Math: GtmServerApis['Math'];
export declare const Object: GtmServerApis['Object'];
export declare const Promise: GtmServerApis['Promise'];
