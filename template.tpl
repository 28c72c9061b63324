___TERMS_OF_SERVICE___

By creating or modifying this file you agree to Google Tag Manager's Community
Template Gallery Developer Terms of Service available at
https://developers.google.com/tag-manager/gallery-tos (or such other URL as
Google may provide), as modified from time to time.


___INFO___

{
  "type": "TAG",
  "id": "cvt_temp_public_id",
  "version": 1,
  "securityGroups": [],
  "displayName": "giosg Visitor Variables",
  "categories": [
    "CHAT",
    "PERSONALIZATION"
  ],
  "brand": {
    "id": "brand_dummy",
    "displayName": "giosg",
    "thumbnail": "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAEAAAABACAYAAACqaXHeAAAB7UlEQVR42u2bvU7EMAzH80j3CH2EblkrXiEDCws76LZbERsSCxMS0yHWGxgQG1JZWBjoBOsfGbWiOvpF62vd2pYsndr0w79LbCeNnesgwSMKHuvgsQ0eWfCAUM3yd6R3jdxQCR5J8EgFG9ym9O5JH8NXweNxxobvK9my6mp8LLybDxkecRfjsXCNm7p9pgBAVjkcFjbmW31ClbeHMk3KAFKFANJykgOlGrk8a9IKYO3y1FErgK1TEvpqQ6JTbPyPGgDOm11tgKcd8PEOdqF70r3pGeIAXJwdxugmGPRMEQB295hM6NmTApjSeC4Ibki3lyJDhkNvAGOO+S4+YVQA5ImlSd/o0AsAhSNpQu80GgBJ3X/oMOgFQKqIAPD2CmxOf9vSbzp2iDbiAHx9AidHf9vTMTrH2UYkgIfb+mvoHGcbkQDuruuvoXOcbawHmA+wKCATgIo8QH0mqH4uoH42qH49wFaEbE3QVoXtu8B/JyqL/jJU6M1luyGUy58fL/TbYNNMrcjvqyY5iwHw8tycqUkznh1A3VSVw1uLB0D/LmeKOjsANF/fd3ZcoWoWAMoRQJqnHwVAEQEkevpRAFAEkOrp2wBkXD1grtvk1G+UVL9VVvdmafXb5a1gwkpmrGjKyuascNJKZ614Wm35/DfnhP5+k6/sKQAAAABJRU5ErkJggg\u003d\u003d"
  },
  "description": "Send visitor variables (name, email, customer number…) to the giosg live chat, remove them on log-out, sign them with a JWT or checksum from your server, and optionally load the giosg client.",
  "containerContexts": [
    "WEB"
  ]
}


___TEMPLATE_PARAMETERS___

[
  {
    "type": "RADIO",
    "name": "action",
    "displayName": "What should this tag do?",
    "radioItems": [
      {
        "value": "submit",
        "displayValue": "Send visitor variables"
      },
      {
        "value": "remove",
        "displayValue": "Remove some visitor variables"
      },
      {
        "value": "removeAll",
        "displayValue": "Remove all visitor variables (log-out)"
      }
    ],
    "simpleValueType": true,
    "defaultValue": "submit",
    "help": "\u003cb\u003eSend\u003c/b\u003e visitor variables (e.g. when someone logs in), \u003cb\u003eremove\u003c/b\u003e some of them, or \u003cb\u003eremove all\u003c/b\u003e of them (e.g. when someone logs out).",
    "alwaysInSummary": true
  },
  {
    "type": "GROUP",
    "name": "variablesSection",
    "displayName": "What to send",
    "groupStyle": "NO_ZIPPY",
    "subParams": [
      {
        "type": "SIMPLE_TABLE",
        "name": "properties",
        "displayName": "Visitor variables",
        "simpleTableColumns": [
          {
            "defaultValue": "",
            "displayName": "Key",
            "name": "key",
            "type": "TEXT",
            "valueValidators": [
              {
                "type": "NON_EMPTY",
                "errorMessage": "Give every variable a name; each name only once."
              }
            ],
            "isUnique": true
          },
          {
            "defaultValue": "",
            "displayName": "Value",
            "name": "value",
            "type": "TEXT"
          },
          {
            "defaultValue": "auto",
            "displayName": "Type",
            "name": "type",
            "type": "SELECT",
            "selectItems": [
              {
                "value": "auto",
                "displayValue": "Auto"
              },
              {
                "value": "string",
                "displayValue": "Text"
              },
              {
                "value": "number",
                "displayValue": "Number"
              },
              {
                "value": "boolean",
                "displayValue": "Yes/no"
              }
            ]
          }
        ],
        "newRowButtonText": "Add variable",
        "help": "The visitor variables to send to giosg; giosg shows them beside the chat in the giosg console. One row per variable. \u003cb\u003eKey\u003c/b\u003e: the variable\u0027s name, e.g. \u003ccode\u003eemail\u003c/code\u003e; the key \u003ccode\u003eusername\u003c/code\u003e sets the visitor\u0027s name in the chat. \u003cb\u003eValue\u003c/b\u003e: typed in or a GTM variable, e.g. \u003ccode\u003e{{DLV - user email}}\u003c/code\u003e. \u003cb\u003eType\u003c/b\u003e: \u003ci\u003eAuto\u003c/i\u003e keeps what the GTM variable returns (text stays text, numbers stay numbers); \u003ci\u003eNumber\u003c/i\u003e must be a number such as \u003ccode\u003e29\u003c/code\u003e or \u003ccode\u003e4.5\u003c/code\u003e; \u003ci\u003eYes/no\u003c/i\u003e accepts true/false, yes/no or 1/0; lists and objects are sent as JSON text. A value that is empty in the page (undefined or null) is left out; a row whose value does not fit its type is skipped and reported in Preview, and the other rows are still sent.",
        "notSetText": "No variables from the table",
        "alwaysInSummary": true,
        "enablingConditions": [
          {
            "paramName": "signing",
            "paramValue": "plain",
            "type": "EQUALS"
          },
          {
            "paramName": "signing",
            "paramValue": "md5",
            "type": "EQUALS"
          },
          {
            "paramName": "signing",
            "paramValue": "sha1",
            "type": "EQUALS"
          }
        ]
      },
      {
        "type": "TEXT",
        "name": "propertiesObject",
        "displayName": "Variables from a GTM variable (object)",
        "simpleValueType": true,
        "help": "Optional: a GTM variable that returns an object of visitor variables, e.g. a Data Layer Variable \u003ccode\u003e{{DLV - giosgVisitor}}\u003c/code\u003e that reads \u003ccode\u003egiosgVisitor\u003c/code\u003e from \u003ccode\u003edataLayer.push({event: \u0027giosg.visitor\u0027, giosgVisitor: {username: \u0027Jane\u0027, email: \u0027jane@example.com\u0027}})\u003c/code\u003e. Its variables are sent together with the table\u0027s; when both have the same key, the table wins. JSON text of an object works too.",
        "valueHint": "{{DLV - giosgVisitor}}",
        "alwaysInSummary": true,
        "enablingConditions": [
          {
            "paramName": "signing",
            "paramValue": "plain",
            "type": "EQUALS"
          },
          {
            "paramName": "signing",
            "paramValue": "md5",
            "type": "EQUALS"
          },
          {
            "paramName": "signing",
            "paramValue": "sha1",
            "type": "EQUALS"
          }
        ]
      },
      {
        "type": "CHECKBOX",
        "name": "replaceExisting",
        "checkboxText": "Replace the visitor\u0027s existing variables",
        "simpleValueType": true,
        "defaultValue": false,
        "help": "Ticked: these variables replace everything sent earlier for this visitor, e.g. on log-in, so nothing of a previous user on the same browser stays. Unticked (usual): they are added, and only variables with the same key are overwritten."
      }
    ],
    "enablingConditions": [
      {
        "paramName": "action",
        "paramValue": "submit",
        "type": "EQUALS"
      }
    ]
  },
  {
    "type": "GROUP",
    "name": "signingSection",
    "displayName": "Signing (optional)",
    "groupStyle": "ZIPPY_OPEN_ON_PARAM",
    "subParams": [
      {
        "type": "SELECT",
        "name": "signing",
        "displayName": "Signing method",
        "macrosInSelect": false,
        "selectItems": [
          {
            "value": "plain",
            "displayValue": "Not signed"
          },
          {
            "value": "HS256",
            "displayValue": "JWT, HS256 (recommended)"
          },
          {
            "value": "HS384",
            "displayValue": "JWT, HS384"
          },
          {
            "value": "HS512",
            "displayValue": "JWT, HS512"
          },
          {
            "value": "RS256",
            "displayValue": "JWT, RS256"
          },
          {
            "value": "RS384",
            "displayValue": "JWT, RS384"
          },
          {
            "value": "RS512",
            "displayValue": "JWT, RS512"
          },
          {
            "value": "md5",
            "displayValue": "Checksum, md5"
          },
          {
            "value": "sha1",
            "displayValue": "Checksum, sha1"
          }
        ],
        "simpleValueType": true,
        "defaultValue": "plain",
        "help": "Signing lets giosg check that the visitor did not change the data (needed when the room requires signatures). \u003cb\u003eSigning always happens on your site\u0027s server\u003c/b\u003e: the signing key must never reach GTM or the browser, where anyone could read it. Choose \u003cb\u003eNot signed\u003c/b\u003e for plain data; a JWT algorithm when your server hands the page a signed token (JSON Web Token), e.g. \u003cb\u003eJWT, HS256\u003c/b\u003e for a token made with giosg\u0027s API signing key; \u003cb\u003emd5\u003c/b\u003e or \u003cb\u003esha1\u003c/b\u003e when your server hands the page a checksum of the variables.",
        "alwaysInSummary": true
      },
      {
        "type": "TEXT",
        "name": "token",
        "displayName": "Signed token (JWT)",
        "simpleValueType": true,
        "valueValidators": [
          {
            "type": "NON_EMPTY",
            "errorMessage": "Enter a JWT (three parts separated by dots) or a GTM variable that returns one."
          },
          {
            "type": "REGEX",
            "args": [
              "\\s*([A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+|\\{\\{[^{}]+\\}\\})\\s*"
            ],
            "errorMessage": "Enter a JWT (three parts separated by dots) or a GTM variable that returns one."
          }
        ],
        "help": "The JWT your server signed with the algorithm chosen above, usually from a GTM variable such as \u003ccode\u003e{{DLV - giosgToken}}\u003c/code\u003e. Its payload holds the visitor variables (plus an optional \u003ccode\u003eexp\u003c/code\u003e). The tag checks that it looks like a JWT and that its header names the same algorithm; it never signs anything itself.",
        "valueHint": "{{DLV - giosgToken}}",
        "enablingConditions": [
          {
            "paramName": "signing",
            "paramValue": "HS256",
            "type": "EQUALS"
          },
          {
            "paramName": "signing",
            "paramValue": "HS384",
            "type": "EQUALS"
          },
          {
            "paramName": "signing",
            "paramValue": "HS512",
            "type": "EQUALS"
          },
          {
            "paramName": "signing",
            "paramValue": "RS256",
            "type": "EQUALS"
          },
          {
            "paramName": "signing",
            "paramValue": "RS384",
            "type": "EQUALS"
          },
          {
            "paramName": "signing",
            "paramValue": "RS512",
            "type": "EQUALS"
          }
        ]
      },
      {
        "type": "TEXT",
        "name": "checksum",
        "displayName": "Checksum",
        "simpleValueType": true,
        "valueValidators": [
          {
            "type": "REGEX",
            "args": [
              "\\s*([0-9a-fA-F]{32}|[0-9a-fA-F]{40}|\\{\\{[^{}]+\\}\\})\\s*"
            ],
            "errorMessage": "Enter the md5 (32 hex characters) or sha1 (40) checksum, or a GTM variable."
          }
        ],
        "help": "The checksum your server calculated over the variables (sent as \u003ccode\u003e_checksum\u003c/code\u003e), from a GTM variable such as \u003ccode\u003e{{DLV - giosgChecksum}}\u003c/code\u003e: 32 hex characters for md5, 40 for sha1. Leave empty when the object variable above already holds \u003ccode\u003e_checksum\u003c/code\u003e.",
        "valueHint": "{{DLV - giosgChecksum}}",
        "enablingConditions": [
          {
            "paramName": "signing",
            "paramValue": "md5",
            "type": "EQUALS"
          },
          {
            "paramName": "signing",
            "paramValue": "sha1",
            "type": "EQUALS"
          }
        ]
      },
      {
        "type": "TEXT",
        "name": "checksumExpiry",
        "displayName": "Checksum expiry",
        "simpleValueType": true,
        "valueValidators": [
          {
            "type": "REGEX",
            "args": [
              "\\s*([0-9]+|\\{\\{[^{}]+\\}\\})\\s*"
            ],
            "errorMessage": "Enter a Unix timestamp in seconds, or a GTM variable."
          }
        ],
        "help": "Optional: when the checksum expires, as a Unix timestamp in seconds (sent as \u003ccode\u003e_exp\u003c/code\u003e), e.g. \u003ccode\u003e1767225600\u003c/code\u003e.",
        "valueHint": "{{DLV - giosgChecksumExpiry}}",
        "enablingConditions": [
          {
            "paramName": "signing",
            "paramValue": "md5",
            "type": "EQUALS"
          },
          {
            "paramName": "signing",
            "paramValue": "sha1",
            "type": "EQUALS"
          }
        ]
      }
    ],
    "enablingConditions": [
      {
        "paramName": "action",
        "paramValue": "submit",
        "type": "EQUALS"
      }
    ]
  },
  {
    "type": "GROUP",
    "name": "roomsSection",
    "displayName": "Rooms (optional)",
    "groupStyle": "ZIPPY_OPEN_ON_PARAM",
    "subParams": [
      {
        "type": "SIMPLE_TABLE",
        "name": "rooms",
        "displayName": "Rooms",
        "simpleTableColumns": [
          {
            "defaultValue": "id",
            "displayName": "Room by",
            "name": "by",
            "type": "SELECT",
            "selectItems": [
              {
                "value": "id",
                "displayValue": "Room ID"
              },
              {
                "value": "name",
                "displayValue": "Room name"
              }
            ]
          },
          {
            "defaultValue": "",
            "displayName": "Room",
            "name": "room",
            "type": "TEXT",
            "valueValidators": [
              {
                "type": "NON_EMPTY",
                "errorMessage": "Enter the room\u0027s ID or name."
              }
            ]
          }
        ],
        "newRowButtonText": "Add room",
        "help": "The giosg rooms the variables belong to. Leave empty to use your domain\u0027s room. If your agents chat in custom rooms, add them here or they will not see the variables. Per row, choose \u003cb\u003eRoom ID\u003c/b\u003e or \u003cb\u003eRoom name\u003c/b\u003e. For the ID, open the room\u0027s \u003cb\u003eRoom settings\u003c/b\u003e in the giosg console (Settings → Rooms) and copy its \u003ci\u003elegacy room id\u003c/i\u003e, e.g. \u003ccode\u003espgxcgwpj3qkmfvrxqaafh5wd63js3ir5g3omascvqiqacqm\u003c/code\u003e.",
        "notSetText": "The domain\u0027s room"
      }
    ],
    "enablingConditions": [
      {
        "paramName": "action",
        "paramValue": "submit",
        "type": "EQUALS"
      }
    ]
  },
  {
    "type": "SIMPLE_TABLE",
    "name": "removeKeys",
    "displayName": "Variables to remove",
    "simpleTableColumns": [
      {
        "defaultValue": "",
        "displayName": "Key",
        "name": "key",
        "type": "TEXT",
        "valueValidators": [
          {
            "type": "NON_EMPTY",
            "errorMessage": "Enter each variable name once."
          }
        ],
        "isUnique": true
      }
    ],
    "newRowButtonText": "Add variable name",
    "valueValidators": [
      {
        "type": "TABLE_ROW_COUNT",
        "args": [
          1
        ],
        "errorMessage": "Add at least one variable name."
      }
    ],
    "help": "The visitor variables to remove, one per row, e.g. \u003ccode\u003eemail\u003c/code\u003e.",
    "alwaysInSummary": true,
    "enablingConditions": [
      {
        "paramName": "action",
        "paramValue": "remove",
        "type": "EQUALS"
      }
    ]
  },
  {
    "type": "GROUP",
    "name": "clientSection",
    "displayName": "giosg client (only for sites without the giosg tag)",
    "groupStyle": "ZIPPY_OPEN_ON_PARAM",
    "subParams": [
      {
        "type": "CHECKBOX",
        "name": "loadClient",
        "displayName": "Load the giosg client",
        "checkboxText": "Load the giosg client on this page",
        "simpleValueType": true,
        "defaultValue": false,
        "help": "Tick if your site does \u003cb\u003enot\u003c/b\u003e already have the giosg tag: the tag then loads giosg\u0027s chat client (script v2) from \u003ccode\u003ehttps://service.giosg.com\u003c/code\u003e, once per page. Variables sent before it has loaded wait in a queue, so the order of your tags does not matter. On a page that already has giosg\u0027s own tag, nothing is loaded a second time: the variables go to the client that tag loads."
      },
      {
        "type": "TEXT",
        "name": "organizationId",
        "displayName": "Organization ID",
        "simpleValueType": true,
        "valueValidators": [
          {
            "type": "NON_EMPTY",
            "errorMessage": "Enter the organization ID (a UUID such as 826100fd-b473-49b0-bafd-d7332622bae8)."
          },
          {
            "type": "REGEX",
            "args": [
              "\\s*([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|\\{\\{[^{}]+\\}\\})\\s*"
            ],
            "errorMessage": "Enter the organization ID (a UUID such as 826100fd-b473-49b0-bafd-d7332622bae8)."
          }
        ],
        "help": "Your giosg organization ID: the UUID at the end of giosg\u0027s script v2 snippet (the last line, \u003ccode\u003e})(window, document, \u0027…\u0027)\u003c/code\u003e), e.g. \u003ccode\u003e826100fd-b473-49b0-bafd-d7332622bae8\u003c/code\u003e.",
        "valueHint": "826100fd-b473-49b0-bafd-d7332622bae8",
        "alwaysInSummary": true,
        "enablingConditions": [
          {
            "paramName": "loadClient",
            "paramValue": true,
            "type": "EQUALS"
          }
        ]
      }
    ]
  }
]


___SANDBOXED_JS_FOR_WEB_TEMPLATE___

var copyFromWindow = require('copyFromWindow');
var createArgumentsQueue = require('createArgumentsQueue');
var setInWindow = require('setInWindow');
var injectScript = require('injectScript');
var templateStorage = require('templateStorage');
var logToConsole = require('logToConsole');
var fromBase64 = require('fromBase64');
var getType = require('getType');
var makeNumber = require('makeNumber');
var makeString = require('makeString');
var JSON = require('JSON');
var Object = require('Object');
var VALUE_TYPES = ['auto', 'string', 'number', 'boolean'];
var DECIMAL_NUMBER = '^[-+]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][-+]?[0-9]+)?$';
var TRUE_WORDS = ['true', 'yes', '1'];
var FALSE_WORDS = ['false', 'no', '0'];
function readValueType(raw) {
  if (raw === undefined || raw === null || raw === '') return 'auto';
  return getType(raw) === 'string' && VALUE_TYPES.indexOf(raw) >= 0 ? raw : undefined;
}
function describe(value) {
  var _a;
  var type = getType(value);
  if (type === 'string') return '"' + value + '"';
  if (type === 'object' || type === 'array')
    return (_a = JSON.stringify(value)) != null ? _a : type;
  return type === 'function' ? 'a function' : makeString(value);
}
function isFiniteNumber(value) {
  return value - value === 0;
}
function asJsonText(value) {
  var text = JSON.stringify(value);
  return getType(text) === 'string'
    ? { kind: 'value', value: text }
    : { kind: 'problem', reason: 'cannot be written as JSON' };
}
function toNumber(value) {
  var type = getType(value);
  if (type === 'number') {
    return isFiniteNumber(value)
      ? { kind: 'value', value: value }
      : { kind: 'problem', reason: 'is not a finite number' };
  }
  if (type === 'string') {
    var text = value.trim();
    if (text.match(DECIMAL_NUMBER)) {
      var parsed = makeNumber(text);
      if (isFiniteNumber(parsed)) return { kind: 'value', value: parsed };
    }
  }
  return { kind: 'problem', reason: 'is not a number (write it like 29 or 4.5)' };
}
function toBoolean(value) {
  var type = getType(value);
  if (type === 'boolean') return { kind: 'value', value: value };
  if (type === 'number' || type === 'string') {
    var word = makeString(value).trim().toLowerCase();
    if (TRUE_WORDS.indexOf(word) >= 0) return { kind: 'value', value: true };
    if (FALSE_WORDS.indexOf(word) >= 0) return { kind: 'value', value: false };
  }
  return { kind: 'problem', reason: 'is not a yes/no value (use true/false, yes/no or 1/0)' };
}
function convertValue(value, valueType) {
  var type = getType(value);
  if (type === 'undefined' || type === 'null') return { kind: 'omit' };
  if (type === 'function')
    return { kind: 'problem', reason: 'is a function, which cannot be sent' };
  if (valueType === 'number') return toNumber(value);
  if (valueType === 'boolean') return toBoolean(value);
  if (type === 'object' || type === 'array') return asJsonText(value);
  if (valueType === 'string') return { kind: 'value', value: makeString(value) };
  if (type === 'number' && !isFiniteNumber(value))
    return { kind: 'problem', reason: 'is not a finite number' };
  return { kind: 'value', value: value };
}
var HEX_LENGTH = { md5: 32, sha1: 40 };
function isBlank(value) {
  return (
    value === undefined || value === null || (getType(value) === 'string' && value.trim() === '')
  );
}
function isHex(text, length) {
  return text.length === length && !!text.match('^[0-9a-fA-F]+$');
}
function readChecksum(algorithm, checksumField, expiryField, fromProperties) {
  var rawChecksum = isBlank(checksumField) ? fromProperties._checksum : checksumField;
  if (isBlank(rawChecksum)) {
    return {
      ok: false,
      reason:
        'Signing is ' +
        algorithm +
        ' but there is no checksum. Pick the GTM variable that holds the checksum from your server.'
    };
  }
  var length = HEX_LENGTH[algorithm];
  var checksum = getType(rawChecksum) === 'string' ? rawChecksum.trim() : '';
  if (!isHex(checksum, length)) {
    return {
      ok: false,
      reason:
        'The ' +
        algorithm +
        ' checksum must be ' +
        length +
        ' hexadecimal characters, but it is ' +
        describe(rawChecksum) +
        '.'
    };
  }
  var rawExpiry = isBlank(expiryField) ? fromProperties._exp : expiryField;
  if (isBlank(rawExpiry)) return { ok: true, checksum: checksum, expiry: undefined };
  var expiryType = getType(rawExpiry);
  var expiryText =
    expiryType === 'number' || expiryType === 'string' ? makeString(rawExpiry).trim() : '';
  if (!expiryText.match('^[0-9]+$')) {
    return {
      ok: false,
      reason:
        'The checksum expiry must be a Unix timestamp in seconds such as 1767225600, but it is ' +
        describe(rawExpiry) +
        '.'
    };
  }
  return { ok: true, checksum: checksum, expiry: expiryType === 'number' ? rawExpiry : expiryText };
}
var JWT_ALGORITHMS = ['HS256', 'HS384', 'HS512', 'RS256', 'RS384', 'RS512'];
var JWT_SHAPE = '^[A-Za-z0-9_-]+[.][A-Za-z0-9_-]+[.][A-Za-z0-9_-]+$';
function decodeBase64Url(segment) {
  var base64 = segment.split('-').join('+').split('_').join('/');
  while (base64.length % 4 !== 0) base64 = base64 + '=';
  return fromBase64(base64);
}
function decodeJsonObject(segment) {
  var text = decodeBase64Url(segment);
  var value = getType(text) === 'string' ? JSON.parse(text) : undefined;
  return getType(value) === 'object' ? value : undefined;
}
function checkJwt(raw, algorithm) {
  var type = getType(raw);
  if (type === 'undefined' || type === 'null' || raw === '') {
    return {
      ok: false,
      reason:
        'Signing is ' +
        algorithm +
        ' but "Signed token (JWT)" is empty. Pick the GTM variable that holds the token from your server.'
    };
  }
  if (type !== 'string')
    return { ok: false, reason: 'The signed token must be text, but it is a ' + type + '.' };
  var token = raw.trim();
  if (!token.match(JWT_SHAPE)) {
    return {
      ok: false,
      reason:
        'The signed token is not a JWT (three base64url parts separated by dots): "' + token + '".'
    };
  }
  var firstDot = token.indexOf('.');
  var lastDot = token.lastIndexOf('.');
  var header = decodeJsonObject(token.substring(0, firstDot));
  if (header === undefined)
    return { ok: false, reason: "The signed token's header is not base64url-encoded JSON." };
  if (decodeJsonObject(token.substring(firstDot + 1, lastDot)) === undefined) {
    return {
      ok: false,
      reason:
        "The signed token's payload is not a base64url-encoded JSON object of visitor variables."
    };
  }
  if (header.alg !== algorithm) {
    return {
      ok: false,
      reason:
        'The signed token says it was signed with ' +
        makeString(header.alg) +
        ', but Signing is set to ' +
        algorithm +
        '. Choose the algorithm your server uses.'
    };
  }
  return { ok: true, token: token };
}
function readKey(raw) {
  var type = getType(raw);
  if (type !== 'string' && type !== 'number')
    return { ok: false, reason: 'has no key (the variable name is empty)' };
  var key = makeString(raw).trim();
  if (key === '') return { ok: false, reason: 'has no key (the variable name is empty)' };
  if (key === '__proto__') return { ok: false, reason: 'uses the reserved key "__proto__"' };
  return { ok: true, key: key };
}
function createKeySet() {
  var seen = {};
  return {
    has: (key) => seen['key:' + key] === true,
    add: (key) => {
      seen['key:' + key] = true;
    }
  };
}
function readRows(raw) {
  var type = getType(raw);
  if (type === 'undefined' || type === 'null' || raw === '') return [];
  return type === 'array' ? raw : undefined;
}
function column(row, name) {
  return getType(row) === 'object' ? row[name] : undefined;
}
function readObject(raw, problems) {
  var value = raw;
  if (getType(value) === 'string') {
    var text = value.trim();
    if (text === '') return {};
    value = JSON.parse(text);
    if (value === undefined) {
      problems.push(
        '"Variables from a GTM variable" is text but not JSON: ' +
          describe(raw) +
          '. Use a variable that returns an object.'
      );
      return {};
    }
  }
  var type = getType(value);
  if (type === 'undefined' || type === 'null') return {};
  if (type !== 'object') {
    problems.push(
      '"Variables from a GTM variable" must be an object such as {"email": "jane@example.com"}, but it is ' +
        describe(value) +
        '.'
    );
    return {};
  }
  return value;
}
function buildProperties(rawObject, rawRows) {
  var problems = [];
  var properties = {};
  var keys = [];
  var put = (key, value) => {
    if (keys.indexOf(key) < 0) keys.push(key);
    properties[key] = value;
  };
  var object = readObject(rawObject, problems);
  Object.keys(object).forEach((rawKey) => {
    var key = readKey(rawKey);
    var converted = convertValue(object[rawKey], 'auto');
    if (!key.ok) problems.push('The object variable ' + key.reason + '; that entry was left out.');
    else if (converted.kind === 'problem')
      problems.push(
        'Object variable key "' +
          key.key +
          '": the value ' +
          describe(object[rawKey]) +
          ' ' +
          converted.reason +
          '; it was left out.'
      );
    else if (converted.kind === 'value') put(key.key, converted.value);
  });
  var rows = readRows(rawRows);
  if (rows === undefined)
    problems.push(
      '"Visitor variables" must be a table (a list of rows), but it is ' + describe(rawRows) + '.'
    );
  var tableKeys = createKeySet();
  (rows != null ? rows : []).forEach((row, index) => {
    var where = 'Visitor variables row ' + (index + 1);
    var key = readKey(column(row, 'key'));
    if (!key.ok) {
      problems.push(
        where + ' ' + key.reason + '; it was left out. Enter a name in the Key column.'
      );
      return;
    }
    if (tableKeys.has(key.key)) {
      problems.push(
        where +
          ': the key "' +
          key.key +
          '" is already in an earlier row; this row was left out. Use each key once.'
      );
      return;
    }
    tableKeys.add(key.key);
    var valueType = readValueType(column(row, 'type'));
    if (valueType === undefined) {
      problems.push(
        where +
          ' ("' +
          key.key +
          '"): unknown type ' +
          describe(column(row, 'type')) +
          '; it was left out. Use auto, string, number or boolean.'
      );
      return;
    }
    var value = column(row, 'value');
    var converted = convertValue(value, valueType);
    if (converted.kind === 'problem') {
      problems.push(
        where +
          ' ("' +
          key.key +
          '"): the value ' +
          describe(value) +
          ' ' +
          converted.reason +
          '; it was left out.'
      );
    } else if (converted.kind === 'value') {
      put(key.key, converted.value);
    }
  });
  return { properties: properties, count: keys.length, problems: problems };
}
function buildRooms(rawRows) {
  var problems = [];
  var rooms = [];
  var rows = readRows(rawRows);
  if (rows === undefined)
    problems.push('"Rooms" must be a table (a list of rows), but it is ' + describe(rawRows) + '.');
  var seen = createKeySet();
  (rows != null ? rows : []).forEach((row, index) => {
    var where = 'Rooms row ' + (index + 1);
    var rawBy = column(row, 'by');
    var by = rawBy === undefined || rawBy === null || rawBy === '' ? 'id' : rawBy;
    if (by !== 'id' && by !== 'name') {
      problems.push(
        where +
          ': "Room by" must be id or name, but it is ' +
          describe(rawBy) +
          '; the row was left out.'
      );
      return;
    }
    var rawRoom = column(row, 'room');
    var roomType = getType(rawRoom);
    var room = roomType === 'string' || roomType === 'number' ? makeString(rawRoom).trim() : '';
    if (room === '') {
      problems.push(
        where +
          ' has no room ' +
          (by === 'id' ? 'ID' : 'name') +
          '; it was left out. Fill in the Room column or delete the row.'
      );
      return;
    }
    if (seen.has(by + ':' + room)) {
      problems.push(
        where +
          ': room ' +
          by +
          ' "' +
          room +
          '" is already in an earlier row; this row was left out.'
      );
      return;
    }
    seen.add(by + ':' + room);
    rooms.push(by === 'id' ? { id: room } : { name: room });
  });
  return { rooms: rooms, problems: problems };
}
var ACTIONS = ['submit', 'remove', 'removeAll'];
function readFlag(raw, label, problems) {
  if (raw === undefined || raw === null || raw === '') return false;
  var converted = toBoolean(raw);
  if (converted.kind === 'value') return converted.value === true;
  problems.push(
    '"' +
      label +
      '" must be ticked or unticked, but it is ' +
      describe(raw) +
      '; treated as unticked.'
  );
  return false;
}
function readChoice(raw, fallback, allowed) {
  if (raw === undefined || raw === null || raw === '') return fallback;
  return getType(raw) === 'string' && allowed.indexOf(raw) >= 0 ? raw : undefined;
}
function submitCall(payload, algorithm, replaceExisting, rooms) {
  var call = ['visitor', 'submit', payload, algorithm, replaceExisting];
  if (rooms.length > 0) call.push(rooms);
  return call;
}
function withoutChecksumFields(properties) {
  var payload = {};
  var count = 0;
  Object.keys(properties).forEach((key) => {
    if (key !== '_checksum' && key !== '_exp') {
      payload[key] = properties[key];
      count++;
    }
  });
  return { payload: payload, count: count };
}
function planSubmit(data, problems) {
  var roomList = buildRooms(data.rooms);
  var calls = planSubmitWithRooms(data, roomList.rooms, problems);
  roomList.problems.forEach((problem) => problems.push(problem));
  return calls;
}
function planSubmitWithRooms(data, rooms, problems) {
  var signing = readChoice(data.signing, 'plain', ['plain', 'md5', 'sha1'].concat(JWT_ALGORITHMS));
  var replaceExisting = readFlag(
    data.replaceExisting,
    "Replace the visitor's existing variables",
    problems
  );
  if (signing === undefined) {
    problems.push(
      'Unknown signing ' +
        describe(data.signing) +
        '; nothing was sent. Choose plain, a JWT algorithm, md5 or sha1.'
    );
    return [];
  }
  if (JWT_ALGORITHMS.indexOf(signing) >= 0) {
    var jwt = checkJwt(data.token, signing);
    if (!jwt.ok) {
      problems.push(jwt.reason + ' Nothing was sent.');
      return [];
    }
    return [submitCall(jwt.token, signing, replaceExisting, rooms)];
  }
  var built = buildProperties(data.propertiesObject, data.properties);
  built.problems.forEach((problem) => problems.push(problem));
  if (signing === 'plain') {
    if (built.count === 0) {
      problems.push(
        'There are no visitor variables to send. Add rows to the table or pick an object variable.'
      );
      return [];
    }
    return [submitCall(built.properties, 'plain', replaceExisting, rooms)];
  }
  var checksum = readChecksum(signing, data.checksum, data.checksumExpiry, built.properties);
  var signed = withoutChecksumFields(built.properties);
  if (!checksum.ok) {
    problems.push(checksum.reason + ' Nothing was sent.');
    return [];
  }
  if (signed.count === 0) {
    problems.push(
      'There are no visitor variables to send with the checksum. Add rows to the table or pick an object variable.'
    );
    return [];
  }
  signed.payload._checksum = checksum.checksum;
  if (checksum.expiry !== undefined) signed.payload._exp = checksum.expiry;
  return [submitCall(signed.payload, signing, replaceExisting, rooms)];
}
function planRemove(data, problems) {
  var rows = readRows(data.removeKeys);
  if (rows === undefined)
    problems.push(
      '"Variables to remove" must be a table (a list of rows), but it is ' +
        describe(data.removeKeys) +
        '.'
    );
  var calls = [];
  var seen = createKeySet();
  (rows != null ? rows : []).forEach((row, index) => {
    var where = 'Variables to remove row ' + (index + 1);
    var key = readKey(column(row, 'key'));
    if (!key.ok) problems.push(where + ' ' + key.reason + '; it was skipped.');
    else if (seen.has(key.key))
      problems.push(where + ': "' + key.key + '" is already in an earlier row; it was skipped.');
    else {
      seen.add(key.key);
      calls.push(['visitor', 'remove', key.key]);
    }
  });
  if (calls.length === 0 && rows !== undefined) {
    problems.push(
      'There are no variable names to remove. Add rows to "Variables to remove", or choose "Remove all visitor variables".'
    );
  }
  return calls;
}
function planCalls(data) {
  var problems = [];
  var action = readChoice(data.action, 'submit', ACTIONS);
  var calls = [];
  if (action === 'submit') calls = planSubmit(data, problems);
  else if (action === 'remove') calls = planRemove(data, problems);
  else if (action === 'removeAll') calls = [['visitor', 'removeAll']];
  else
    problems.push(
      'Unknown action ' +
        describe(data.action) +
        '; nothing was sent. Choose submit, remove or removeAll.'
    );
  return { calls: calls, problems: problems };
}
var GIOSG_HOST = 'https://service.giosg.com';
var UUID = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
var CLIENT_SCRIPT_PREFIX = GIOSG_HOST + '/live2/';
function checkOrganizationId(raw) {
  var text = getType(raw) === 'string' ? raw.trim() : '';
  if (text.match(UUID)) return { ok: true, organizationId: text };
  var shown = raw === undefined || raw === '' ? 'empty' : describe(raw);
  return {
    ok: false,
    reason:
      'The organization ID must be a UUID such as 826100fd-b473-49b0-bafd-d7332622bae8, but it is ' +
      shown +
      '; the giosg client was not loaded.'
  };
}
var LOG_PREFIX = 'giosg Visitor Variables: ';
var LOADED_BY_TAG = 'clientLoadedByTag';
function loadedBySite(organizationOnPage) {
  if (organizationOnPage === undefined || organizationOnPage === null || organizationOnPage === '')
    return false;
  return templateStorage.getItem(LOADED_BY_TAG) !== true;
}
function callGiosg(giosg, call) {
  if (call.length === 2) giosg(call[0], call[1]);
  else if (call.length === 3) giosg(call[0], call[1], call[2]);
  else if (call.length === 5) giosg(call[0], call[1], call[2], call[3], call[4]);
  else giosg(call[0], call[1], call[2], call[3], call[4], call[5]);
}
var input = data;
var finished = false;
var finish = (ok) => {
  if (finished) return;
  finished = true;
  if (ok) data.gtmOnSuccess();
  else data.gtmOnFailure();
};
var organizationOnPage = copyFromWindow('_giosg._c');
var giosg = createArgumentsQueue('_giosg', '_giosg._e');
var plan = planCalls(input);
var problems = plan.problems;
var organizationId;
if (readFlag(input.loadClient, 'Load the giosg client', problems)) {
  var organization = checkOrganizationId(input.organizationId);
  if (!organization.ok) problems.push(organization.reason);
  else if (loadedBySite(organizationOnPage)) {
    logToConsole(
      LOG_PREFIX +
        'the page already has the giosg tag (organization ' +
        describe(organizationOnPage) +
        '), so the giosg client was not loaded again.'
    );
  } else {
    organizationId = organization.organizationId;
    templateStorage.setItem(LOADED_BY_TAG, true);
  }
}
if (organizationId !== undefined) {
  setInWindow('_giosg._c', organizationId, true);
  setInWindow('_giosg._h', GIOSG_HOST, true);
}
plan.calls.forEach((call) => callGiosg(giosg, call));
problems.forEach((problem) => logToConsole(LOG_PREFIX + problem));
if (organizationId === undefined) {
  finish(problems.length === 0);
  return;
}
var clientScriptUrl = CLIENT_SCRIPT_PREFIX + organizationId;
injectScript(
  clientScriptUrl,
  () => finish(problems.length === 0),
  () => {
    logToConsole(
      LOG_PREFIX +
        'the giosg client could not be loaded from ' +
        clientScriptUrl +
        '. Check the organization ID and that nothing blocks service.giosg.com.'
    );
    finish(false);
  },
  clientScriptUrl
);


___WEB_PERMISSIONS___

[
  {
    "instance": {
      "key": {
        "publicId": "access_globals",
        "versionId": "1"
      },
      "param": [
        {
          "key": "keys",
          "value": {
            "type": 2,
            "listItem": [
              {
                "type": 3,
                "mapKey": [
                  {
                    "type": 1,
                    "string": "key"
                  },
                  {
                    "type": 1,
                    "string": "read"
                  },
                  {
                    "type": 1,
                    "string": "write"
                  },
                  {
                    "type": 1,
                    "string": "execute"
                  }
                ],
                "mapValue": [
                  {
                    "type": 1,
                    "string": "_giosg"
                  },
                  {
                    "type": 8,
                    "boolean": true
                  },
                  {
                    "type": 8,
                    "boolean": true
                  },
                  {
                    "type": 8,
                    "boolean": false
                  }
                ]
              },
              {
                "type": 3,
                "mapKey": [
                  {
                    "type": 1,
                    "string": "key"
                  },
                  {
                    "type": 1,
                    "string": "read"
                  },
                  {
                    "type": 1,
                    "string": "write"
                  },
                  {
                    "type": 1,
                    "string": "execute"
                  }
                ],
                "mapValue": [
                  {
                    "type": 1,
                    "string": "_giosg._c"
                  },
                  {
                    "type": 8,
                    "boolean": true
                  },
                  {
                    "type": 8,
                    "boolean": true
                  },
                  {
                    "type": 8,
                    "boolean": false
                  }
                ]
              },
              {
                "type": 3,
                "mapKey": [
                  {
                    "type": 1,
                    "string": "key"
                  },
                  {
                    "type": 1,
                    "string": "read"
                  },
                  {
                    "type": 1,
                    "string": "write"
                  },
                  {
                    "type": 1,
                    "string": "execute"
                  }
                ],
                "mapValue": [
                  {
                    "type": 1,
                    "string": "_giosg._e"
                  },
                  {
                    "type": 8,
                    "boolean": true
                  },
                  {
                    "type": 8,
                    "boolean": true
                  },
                  {
                    "type": 8,
                    "boolean": false
                  }
                ]
              },
              {
                "type": 3,
                "mapKey": [
                  {
                    "type": 1,
                    "string": "key"
                  },
                  {
                    "type": 1,
                    "string": "read"
                  },
                  {
                    "type": 1,
                    "string": "write"
                  },
                  {
                    "type": 1,
                    "string": "execute"
                  }
                ],
                "mapValue": [
                  {
                    "type": 1,
                    "string": "_giosg._h"
                  },
                  {
                    "type": 8,
                    "boolean": true
                  },
                  {
                    "type": 8,
                    "boolean": true
                  },
                  {
                    "type": 8,
                    "boolean": false
                  }
                ]
              }
            ]
          }
        }
      ]
    },
    "clientAnnotations": {
      "isEditedByUser": true
    },
    "isRequired": true
  },
  {
    "instance": {
      "key": {
        "publicId": "access_template_storage",
        "versionId": "1"
      },
      "param": []
    },
    "clientAnnotations": {
      "isEditedByUser": true
    },
    "isRequired": true
  },
  {
    "instance": {
      "key": {
        "publicId": "inject_script",
        "versionId": "1"
      },
      "param": [
        {
          "key": "urls",
          "value": {
            "type": 2,
            "listItem": [
              {
                "type": 1,
                "string": "https://service.giosg.com/live2/*"
              }
            ]
          }
        }
      ]
    },
    "clientAnnotations": {
      "isEditedByUser": true
    },
    "isRequired": true
  },
  {
    "instance": {
      "key": {
        "publicId": "logging",
        "versionId": "1"
      },
      "param": [
        {
          "key": "environments",
          "value": {
            "type": 1,
            "string": "debug"
          }
        }
      ]
    },
    "clientAnnotations": {
      "isEditedByUser": true
    },
    "isRequired": true
  }
]


___TESTS___

scenarios:
- name: submits the table as plain variables with the queue giosg uses
  code: |-
    runCode({ action: 'submit', properties: [{ key: 'username', value: 'John Doe', type: 'auto' }] });
    assertApi('createArgumentsQueue').wasCalledWith('_giosg', '_giosg._e');
    assertThat(giosgCalls).isEqualTo([
      ['visitor', 'submit', { username: 'John Doe' }, 'plain', false]
    ]);
    assertApi('gtmOnSuccess').wasCalled();
    assertApi('gtmOnFailure').wasNotCalled();
    assertApi('logToConsole').wasNotCalled();
- name: defaults to submit and plain when action and signing are not set
  code: |-
    runCode({ properties: [{ key: 'email', value: 'jane@example.com', type: 'auto' }] });
    assertThat(giosgCalls).isEqualTo([
      ['visitor', 'submit', { email: 'jane@example.com' }, 'plain', false]
    ]);
    assertApi('gtmOnSuccess').wasCalled();
- name: auto keeps the types a GTM variable returns and trims keys
  code: |-
    runCode({
      properties: [
        { key: ' customerNumber ', value: atRunTime.number, type: 'auto' },
        { key: 'loggedIn', value: atRunTime.trueValue, type: 'auto' },
        { key: 'age', value: '29', type: 'auto' }
      ]
    });
    assertThat(giosgCalls[0][2]).isEqualTo({ customerNumber: 1234, loggedIn: true, age: '29' });
    assertApi('gtmOnSuccess').wasCalled();
- name: string type turns numbers and booleans into text
  code: |-
    runCode({
      properties: [
        { key: 'customerNumber', value: atRunTime.number, type: 'string' },
        { key: 'vip', value: atRunTime.falseValue, type: 'string' }
      ]
    });
    assertThat(giosgCalls[0][2]).isEqualTo({ customerNumber: '1234', vip: 'false' });
    assertApi('gtmOnSuccess').wasCalled();
- name: number type parses numbers typed as text
  code: |-
    runCode({
      properties: [
        { key: 'age', value: ' 29 ', type: 'number' },
        { key: 'score', value: '-4.5', type: 'number' },
        { key: 'orders', value: atRunTime.three, type: 'number' }
      ]
    });
    assertThat(giosgCalls[0][2]).isEqualTo({ age: 29, score: -4.5, orders: 3 });
    assertApi('gtmOnSuccess').wasCalled();
- name: "number type: a value that does not parse is left out, the rest is sent, the tag fails"
  code: |-
    runCode({
      properties: [
        { key: 'username', value: 'John', type: 'auto' },
        { key: 'age', value: 'twenty', type: 'number' },
        { key: 'orders', value: '', type: 'number' }
      ]
    });
    assertThat(giosgCalls).isEqualTo([['visitor', 'submit', { username: 'John' }, 'plain', false]]);
    assertApi('logToConsole').wasCalled();
    assertApi('gtmOnFailure').wasCalled();
    assertApi('gtmOnSuccess').wasNotCalled();
- name: the console message names the row, the key, the value and the fix
  code: |-
    runCode({ properties: [{ key: 'age', value: 'twenty', type: 'number' }] });
    assertApi('logToConsole').wasCalledWith(
      'giosg Visitor Variables: Visitor variables row 1 ("age"): the value "twenty" is not a number (write it like 29 or 4.5); it was left out.'
    );
    assertApi('logToConsole').wasCalledWith(
      'giosg Visitor Variables: There are no visitor variables to send. Add rows to the table or pick an object variable.'
    );
    assertApi('gtmOnFailure').wasCalled();
- name: boolean type accepts true/false, yes/no and 1/0 in any case
  code: |-
    runCode({
      properties: [
        { key: 'a', value: 'TRUE', type: 'boolean' },
        { key: 'b', value: 'no', type: 'boolean' },
        { key: 'c', value: 'Yes', type: 'boolean' },
        { key: 'd', value: '0', type: 'boolean' },
        { key: 'e', value: atRunTime.one, type: 'boolean' },
        { key: 'f', value: atRunTime.falseValue, type: 'boolean' }
      ]
    });
    assertThat(giosgCalls[0][2]).isEqualTo({
      a: true,
      b: false,
      c: true,
      d: false,
      e: true,
      f: false
    });
    assertApi('gtmOnSuccess').wasCalled();
- name: "boolean type: a value that is not yes/no is left out and the tag fails"
  code: |-
    runCode({
      properties: [
        { key: 'vip', value: 'maybe', type: 'boolean' },
        { key: 'email', value: 'jane@example.com', type: 'auto' }
      ]
    });
    assertThat(giosgCalls).isEqualTo([
      ['visitor', 'submit', { email: 'jane@example.com' }, 'plain', false]
    ]);
    assertApi('logToConsole').wasCalled();
    assertApi('gtmOnFailure').wasCalled();
- name: objects and arrays are sent as JSON text
  code: |-
    runCode({
      properties: [
        { key: 'address', value: atRunTime.address, type: 'auto' },
        { key: 'tags', value: atRunTime.tags, type: 'string' }
      ]
    });
    assertThat(giosgCalls[0][2]).isEqualTo({
      address: '{"city":"Helsinki","zip":"00100"}',
      tags: '["a","b"]'
    });
    assertApi('gtmOnSuccess').wasCalled();
- name: undefined and null values are left out without failing
  code: |-
    runCode({
      properties: [
        { key: 'username', value: 'John', type: 'auto' },
        { key: 'email', value: undefined, type: 'auto' },
        { key: 'phone', value: null, type: 'number' }
      ]
    });
    assertThat(giosgCalls).isEqualTo([['visitor', 'submit', { username: 'John' }, 'plain', false]]);
    assertApi('gtmOnSuccess').wasCalled();
    assertApi('logToConsole').wasNotCalled();
- name: an empty key is reported and the other rows are still sent
  code: |-
    runCode({
      properties: [
        { key: atRunTime.blankText, value: 'lost', type: 'auto' },
        { key: 'username', value: 'John', type: 'auto' }
      ]
    });
    assertThat(giosgCalls).isEqualTo([['visitor', 'submit', { username: 'John' }, 'plain', false]]);
    assertApi('logToConsole').wasCalled();
    assertApi('gtmOnFailure').wasCalled();
- name: a duplicate key keeps the first row and fails the tag
  code: |-
    runCode({
      properties: [
        { key: 'username', value: 'First', type: 'auto' },
        { key: 'username', value: 'Second', type: 'auto' }
      ]
    });
    assertThat(giosgCalls).isEqualTo([['visitor', 'submit', { username: 'First' }, 'plain', false]]);
    assertApi('gtmOnFailure').wasCalled();
- name: an unknown row type is reported and the row left out
  code: |-
    runCode({
      properties: [
        { key: 'age', value: '29', type: atRunTime.unknownType },
        { key: 'username', value: 'John', type: 'auto' }
      ]
    });
    assertThat(giosgCalls).isEqualTo([['visitor', 'submit', { username: 'John' }, 'plain', false]]);
    assertApi('gtmOnFailure').wasCalled();
- name: the object variable is merged first and table rows win on the same key
  code: |-
    runCode({
      propertiesObject: atRunTime.objectVariable,
      properties: [{ key: 'username', value: 'From table', type: 'auto' }]
    });
    assertThat(giosgCalls).isEqualTo([
      ['visitor', 'submit', { username: 'From table', email: 'jane@example.com' }, 'plain', false]
    ]);
    assertApi('gtmOnSuccess').wasCalled();
- name: the object variable may be JSON text of an object
  code: |-
    runCode({ propertiesObject: '{"username": "Jane", "age": 29}' });
    assertThat(giosgCalls).isEqualTo([
      ['visitor', 'submit', { username: 'Jane', age: 29 }, 'plain', false]
    ]);
    assertApi('gtmOnSuccess').wasCalled();
- name: an object variable that is not an object is reported; table rows are still sent
  code: |-
    runCode({
      propertiesObject: 'not json',
      properties: [{ key: 'username', value: 'John', type: 'auto' }]
    });
    assertThat(giosgCalls).isEqualTo([['visitor', 'submit', { username: 'John' }, 'plain', false]]);
    assertApi('logToConsole').wasCalled();
    assertApi('gtmOnFailure').wasCalled();
- name: "nothing to send: no call, the tag fails"
  code: |-
    runCode({ action: 'submit', properties: [], propertiesObject: undefined });
    assertThat(giosgCalls).isEqualTo([]);
    assertApi('logToConsole').wasCalled();
    assertApi('gtmOnFailure').wasCalled();
    assertApi('gtmOnSuccess').wasNotCalled();
- name: replace existing passes true
  code: |-
    runCode({
      properties: [{ key: 'username', value: 'John', type: 'auto' }],
      replaceExisting: true
    });
    assertThat(giosgCalls).isEqualTo([['visitor', 'submit', { username: 'John' }, 'plain', true]]);
    assertApi('gtmOnSuccess').wasCalled();
- name: rooms by ID and by name become the sixth argument
  code: |-
    runCode({
      properties: [{ key: 'username', value: 'John', type: 'auto' }],
      rooms: [
        { by: 'id', room: 'spgxcgwpj3qkmfvrxqaafh5wd63js3ir5g3omascvqiqacqm' },
        { by: 'name', room: 'Sales' }
      ]
    });
    assertThat(giosgCalls).isEqualTo([
      [
        'visitor',
        'submit',
        { username: 'John' },
        'plain',
        false,
        [{ id: 'spgxcgwpj3qkmfvrxqaafh5wd63js3ir5g3omascvqiqacqm' }, { name: 'Sales' }]
      ]
    ]);
    assertApi('gtmOnSuccess').wasCalled();
- name: without rooms the room argument is left out (five arguments)
  code: |-
    runCode({ properties: [{ key: 'username', value: 'John', type: 'auto' }], rooms: [] });
    assertThat(giosgCalls[0]).hasLength(5);
    assertApi('gtmOnSuccess').wasCalled();
- name: an empty room row is reported; the valid rooms are still used
  code: |-
    runCode({
      properties: [{ key: 'username', value: 'John', type: 'auto' }],
      rooms: [
        { by: 'name', room: atRunTime.emptyText },
        { by: 'name', room: 'Support' }
      ]
    });
    assertThat(giosgCalls).isEqualTo([
      ['visitor', 'submit', { username: 'John' }, 'plain', false, [{ name: 'Support' }]]
    ]);
    assertApi('logToConsole').wasCalled();
    assertApi('gtmOnFailure').wasCalled();
- name: "JWT: the token is sent with its algorithm; the table does not apply"
  code: |-
    runCode({
      signing: 'HS256',
      token: HS256_TOKEN,
      properties: [{ key: 'ignored', value: 'x', type: 'auto' }]
    });
    assertThat(giosgCalls).isEqualTo([['visitor', 'submit', HS256_TOKEN, 'HS256', false]]);
    assertApi('gtmOnSuccess').wasCalled();
- name: "JWT: replace existing and rooms are passed after the algorithm"
  code: |-
    runCode({
      signing: 'RS256',
      token: ' ' + RS256_TOKEN + ' ',
      replaceExisting: true,
      rooms: [{ by: 'id', room: 'r1' }]
    });
    assertThat(giosgCalls).isEqualTo([
      ['visitor', 'submit', RS256_TOKEN, 'RS256', true, [{ id: 'r1' }]]
    ]);
    assertApi('gtmOnSuccess').wasCalled();
- name: "JWT: a token that is not a JWT is not sent and the tag fails"
  code: |-
    runCode({ signing: 'HS256', token: atRunTime.notAToken });
    assertThat(giosgCalls).isEqualTo([]);
    assertApi('logToConsole').wasCalled();
    assertApi('gtmOnFailure').wasCalled();
- name: "JWT: a header algorithm different from the one chosen is not sent"
  code: |-
    runCode({ signing: 'HS512', token: HS256_TOKEN });
    assertThat(giosgCalls).isEqualTo([]);
    assertApi('gtmOnFailure').wasCalled();
- name: "JWT: a header that is not base64url JSON is not sent"
  code: |-
    runCode({ signing: 'HS256', token: 'bm90IGpzb24.eyJ1c2VybmFtZSI6IkphbmUifQ.c2ln' });
    assertThat(giosgCalls).isEqualTo([]);
    assertApi('gtmOnFailure').wasCalled();
- name: "JWT: a missing token is reported"
  code: |-
    runCode({ signing: 'RS512' });
    assertThat(giosgCalls).isEqualTo([]);
    assertApi('logToConsole').wasCalled();
    assertApi('gtmOnFailure').wasCalled();
- name: "md5: the checksum and expiry are added as _checksum and _exp"
  code: |-
    runCode({
      signing: 'md5',
      properties: [
        { key: 'username', value: 'Django signed', type: 'auto' },
        { key: 'email', value: 'django@giosg.com', type: 'auto' }
      ],
      checksum: MD5_CHECKSUM,
      checksumExpiry: '1371720939',
      replaceExisting: true
    });
    assertThat(giosgCalls).isEqualTo([
      [
        'visitor',
        'submit',
        {
          username: 'Django signed',
          email: 'django@giosg.com',
          _checksum: MD5_CHECKSUM,
          _exp: '1371720939'
        },
        'md5',
        true
      ]
    ]);
    assertApi('gtmOnSuccess').wasCalled();
- name: sha1 without an expiry sends only _checksum
  code: |-
    runCode({
      signing: 'sha1',
      properties: [{ key: 'username', value: 'Jane', type: 'auto' }],
      checksum: SHA1_CHECKSUM
    });
    assertThat(giosgCalls).isEqualTo([
      ['visitor', 'submit', { username: 'Jane', _checksum: SHA1_CHECKSUM }, 'sha1', false]
    ]);
    assertApi('gtmOnSuccess').wasCalled();
- name: "md5: _checksum and _exp can come from the object variable"
  code: |-
    runCode({ signing: 'md5', propertiesObject: atRunTime.signedObjectVariable });
    assertThat(giosgCalls).isEqualTo([
      [
        'visitor',
        'submit',
        { username: 'Jane', _checksum: MD5_CHECKSUM, _exp: 1767225600 },
        'md5',
        false
      ]
    ]);
    assertApi('gtmOnSuccess').wasCalled();
- name: "md5: a missing checksum is reported and nothing is sent"
  code: |-
    runCode({ signing: 'md5', properties: [{ key: 'username', value: 'Jane', type: 'auto' }] });
    assertThat(giosgCalls).isEqualTo([]);
    assertApi('logToConsole').wasCalled();
    assertApi('gtmOnFailure').wasCalled();
- name: "sha1: a checksum of md5 length is reported and nothing is sent"
  code: |-
    runCode({
      signing: 'sha1',
      properties: [{ key: 'username', value: 'Jane', type: 'auto' }],
      checksum: MD5_CHECKSUM
    });
    assertThat(giosgCalls).isEqualTo([]);
    assertApi('logToConsole').wasCalled();
    assertApi('gtmOnFailure').wasCalled();
- name: "md5: an expiry that is not a Unix timestamp is reported and nothing is sent"
  code: |-
    runCode({
      signing: 'md5',
      properties: [{ key: 'username', value: 'Jane', type: 'auto' }],
      checksum: MD5_CHECKSUM,
      checksumExpiry: atRunTime.notATimestamp
    });
    assertThat(giosgCalls).isEqualTo([]);
    assertApi('gtmOnFailure').wasCalled();
- name: an unknown signing value is reported and nothing is sent
  code: |-
    runCode({
      signing: atRunTime.unknownSigning,
      properties: [{ key: 'username', value: 'Jane', type: 'auto' }]
    });
    assertThat(giosgCalls).isEqualTo([]);
    assertApi('gtmOnFailure').wasCalled();
- name: "remove: one call per key"
  code: |-
    runCode({ action: 'remove', removeKeys: [{ key: 'email' }, { key: ' phone ' }] });
    assertThat(giosgCalls).isEqualTo([
      ['visitor', 'remove', 'email'],
      ['visitor', 'remove', 'phone']
    ]);
    assertApi('gtmOnSuccess').wasCalled();
- name: "remove: empty and duplicate keys are reported; the others are removed"
  code: |-
    runCode({
      action: 'remove',
      removeKeys: [{ key: 'email' }, { key: atRunTime.emptyText }, { key: 'email' }]
    });
    assertThat(giosgCalls).isEqualTo([['visitor', 'remove', 'email']]);
    assertApi('logToConsole').wasCalled();
    assertApi('gtmOnFailure').wasCalled();
- name: "remove: no keys at all is reported"
  code: |-
    runCode({ action: 'remove', removeKeys: atRunTime.noRows });
    assertThat(giosgCalls).isEqualTo([]);
    assertApi('gtmOnFailure').wasCalled();
- name: "removeAll: one call with two arguments"
  code: |-
    runCode({
      action: 'removeAll',
      properties: [{ key: 'username', value: 'ignored', type: 'auto' }]
    });
    assertThat(giosgCalls).isEqualTo([['visitor', 'removeAll']]);
    assertApi('gtmOnSuccess').wasCalled();
- name: an unknown action is reported and nothing is sent
  code: |-
    runCode({ action: atRunTime.unknownAction });
    assertThat(giosgCalls).isEqualTo([]);
    assertApi('logToConsole').wasCalled();
    assertApi('gtmOnFailure').wasCalled();
- name: "loadClient: sets _c and _h, injects script v2 once, succeeds when it loads"
  code: |-
    runCode({
      properties: [{ key: 'username', value: 'John', type: 'auto' }],
      loadClient: true,
      organizationId: ORGANIZATION_ID
    });
    assertApi('setInWindow').wasCalledWith('_giosg._c', ORGANIZATION_ID, true);
    assertApi('setInWindow').wasCalledWith('_giosg._h', 'https://service.giosg.com', true);
    assertApi('injectScript').wasCalled();
    assertThat(giosgCalls).isEqualTo([['visitor', 'submit', { username: 'John' }, 'plain', false]]);
    assertApi('gtmOnSuccess').wasCalled();
    assertApi('gtmOnFailure').wasNotCalled();
- name: "loadClient: the script URL and cache token are the live2 URL of the organization"
  code: |-
    var injectedUrl;
    var cacheToken;
    mock('injectScript', (url, onSuccess, onFailure, token) => {
      injectedUrl = url;
      cacheToken = token;
      onSuccess();
    });
    runCode({ action: 'removeAll', loadClient: true, organizationId: ' ' + ORGANIZATION_ID + ' ' });
    assertThat(injectedUrl).isEqualTo(CLIENT_URL);
    assertThat(cacheToken).isEqualTo(CLIENT_URL);
    assertApi('gtmOnSuccess').wasCalled();
- name: "loadClient: the tag fails when the script does not load"
  code: |-
    mock('injectScript', (url, onSuccess, onFailure) => onFailure());
    runCode({ action: 'removeAll', loadClient: true, organizationId: ORGANIZATION_ID });
    assertThat(giosgCalls).isEqualTo([['visitor', 'removeAll']]);
    assertApi('logToConsole').wasCalled();
    assertApi('gtmOnFailure').wasCalled();
    assertApi('gtmOnSuccess').wasNotCalled();
- name: "loadClient: an invalid organization ID loads nothing but still queues the calls"
  code: |-
    runCode({ action: 'removeAll', loadClient: true, organizationId: atRunTime.notAUuid });
    assertApi('injectScript').wasNotCalled();
    assertApi('setInWindow').wasNotCalled();
    assertThat(giosgCalls).isEqualTo([['visitor', 'removeAll']]);
    assertApi('logToConsole').wasCalled();
    assertApi('gtmOnFailure').wasCalled();
- name: "loadClient: bad rows fail the tag after the script has loaded"
  code: |-
    runCode({
      properties: [
        { key: 'age', value: 'old', type: 'number' },
        { key: 'username', value: 'John', type: 'auto' }
      ],
      loadClient: true,
      organizationId: ORGANIZATION_ID
    });
    assertApi('injectScript').wasCalled();
    assertThat(giosgCalls).isEqualTo([['visitor', 'submit', { username: 'John' }, 'plain', false]]);
    assertApi('gtmOnFailure').wasCalled();
    assertApi('gtmOnSuccess').wasNotCalled();
- name: "loadClient: on a page whose giosg tag set _giosg._c, giosg is not loaded a second time"
  code: |-
    mock('copyFromWindow', (key) => (key === '_giosg._c' ? ORGANIZATION_ID : undefined));
    runCode({
      properties: [{ key: 'username', value: 'John', type: 'auto' }],
      loadClient: true,
      organizationId: ORGANIZATION_ID
    });
    assertApi('copyFromWindow').wasCalledWith('_giosg._c');
    assertApi('injectScript').wasNotCalled();
    assertApi('setInWindow').wasNotCalled();
    assertThat(giosgCalls).isEqualTo([['visitor', 'submit', { username: 'John' }, 'plain', false]]);
    assertApi('logToConsole').wasCalled();
    assertApi('gtmOnSuccess').wasCalled();
    assertApi('gtmOnFailure').wasNotCalled();
- name: "loadClient: later firings of this tag wait on the script it injected, not on the site"
  code: |-
    var organizationOnPage;
    mock('setInWindow', (key, value) => {
      if (key === '_giosg._c') organizationOnPage = value;
      return true;
    });
    mock('copyFromWindow', (key) => (key === '_giosg._c' ? organizationOnPage : undefined));
    var injections = 0;
    mock('injectScript', (url, onSuccess) => {
      injections++;
      onSuccess();
    });
    var load = { action: 'removeAll', loadClient: true, organizationId: ORGANIZATION_ID };
    runCode(load);
    runCode(load);
    assertThat(injections).isEqualTo(2);
    assertThat(organizationOnPage).isEqualTo(ORGANIZATION_ID);
    assertApi('logToConsole').wasNotCalled();
- name: without loadClient nothing is injected and nothing is set on the page
  code: |-
    runCode({
      properties: [{ key: 'username', value: 'John', type: 'auto' }],
      loadClient: false,
      organizationId: ORGANIZATION_ID
    });
    assertApi('injectScript').wasNotCalled();
    assertApi('setInWindow').wasNotCalled();
    assertApi('gtmOnSuccess').wasCalled();
setup: |-
  var giosgCalls = [];
  var ORGANIZATION_ID = '826100fd-b473-49b0-bafd-d7332622bae8';
  var CLIENT_URL = 'https://service.giosg.com/live2/826100fd-b473-49b0-bafd-d7332622bae8';
  var HS256_TOKEN =
    'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJjb21pY191cmwiOiJodHRwOi8veGtjZC5jb20vMTM2MC8ifQ.BsjBt9a9imoj9P5_7aIAe5nuhPd5jb8HGvAJKPCwm6A';
  var RS256_TOKEN =
    'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJ1c2VybmFtZSI6IkphbmUgRG9lIiwiZW1haWwiOiJqYW5lQGV4YW1wbGUuY29tIn0.c2lnbmF0dXJl';
  var MD5_CHECKSUM = 'e584526251c396fc937e27561c9597c8';
  var SHA1_CHECKSUM = '2fd4e1c67a2d28fced849ee1bb76e7391b93eb12';
  var atRunTime = {
    number: 1234,
    three: 3,
    one: 1,
    trueValue: true,
    falseValue: false,
    emptyText: '',
    blankText: '  ',
    address: { city: 'Helsinki', zip: '00100' },
    tags: ['a', 'b'],
    unknownType: 'integer',
    unknownSigning: 'sha256',
    unknownAction: 'clear',
    notAToken: 'not-a-token',
    notATimestamp: 'tomorrow',
    notAUuid: '12345',
    noRows: [],
    objectVariable: { username: 'From object', email: 'jane@example.com', missing: null },
    signedObjectVariable: { username: 'Jane', _checksum: MD5_CHECKSUM, _exp: 1767225600 }
  };
  mock('createArgumentsQueue', (fnKey, arrayKey) => {
    if (fnKey !== '_giosg' || arrayKey !== '_giosg._e')
      fail('unexpected queue ' + fnKey + ', ' + arrayKey);
    return function () {
      var args = [];
      for (var i = 0; i < arguments.length; i++) args.push(arguments[i]);
      giosgCalls.push(args);
    };
  });
  mock('setInWindow', () => true);
  mock('injectScript', (url, onSuccess) => onSuccess());


___NOTES___

Built from template/ with gtm-template build. Edit the TypeScript sources, not this file.


