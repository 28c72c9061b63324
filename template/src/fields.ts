// The tag's form, written for the marketing person who fills it in. This interface is the one source
// of truth for GTM's ___TEMPLATE_PARAMETERS___ and for the type of `data` (DESIGN.md §5 fixes the
// field names: they are the keys of `data` and of container.json, so never rename them).

/** One row of the visitor-variables table. */
export interface PropertyRow {
  /**
   * The variable's name, e.g. <code>email</code> (<code>username</code> names the visitor in the chat).
   * @title Key
   * @unique
   * @minLength 1
   * @errorMessage Give every variable a name; each name only once.
   */
  key: string;
  /**
   * Typed in or a GTM variable, of any type.
   * @title Value
   */
  value: string;
  /**
   * How the value is sent (see the table's help).
   * @title Type
   * @default auto
   * @labels {"auto": "Auto", "string": "Text", "number": "Number", "boolean": "Yes/no"}
   */
  type: 'auto' | 'string' | 'number' | 'boolean';
}

/** One row of the rooms table. */
export interface RoomRow {
  /**
   * Whether the next column holds the room's ID or its name.
   * @title Room by
   * @default id
   * @labels {"id": "Room ID", "name": "Room name"}
   */
  by: 'id' | 'name';
  /**
   * The room's legacy room id or its name.
   * @title Room
   * @minLength 1
   * @errorMessage Enter the room's ID or name.
   */
  room: string;
}

/** One row of the table of variables to remove. */
export interface RemoveKeyRow {
  /**
   * The name of a variable sent earlier, e.g. <code>email</code>.
   * @title Key
   * @unique
   * @minLength 1
   * @errorMessage Enter each variable name once.
   */
  key: string;
}

export interface VariablesSection {
  /**
   * The visitor variables to send to giosg; giosg shows them beside the chat in the giosg console.
   * One row per variable. <b>Key</b>: the variable's name, e.g. <code>email</code>; the key
   * <code>username</code> sets the visitor's name in the chat. <b>Value</b>: typed in or a GTM
   * variable, e.g. <code>{{DLV - user email}}</code>. <b>Type</b>: <i>Auto</i> keeps what the GTM
   * variable returns (text stays text, numbers stay numbers); <i>Number</i> must be a number such as
   * <code>29</code> or <code>4.5</code>; <i>Yes/no</i> accepts true/false, yes/no or 1/0; lists and
   * objects are sent as JSON text. A value that is empty in the page (undefined or null) is left out; a
   * row whose value does not fit its type is skipped and reported in Preview, and the other rows are
   * still sent.
   * @title Visitor variables
   * @newRowButtonText Add variable
   * @alwaysInSummary
   * @notSetText No variables from the table
   * @enableWhen signing=plain
   * @enableWhen signing=md5
   * @enableWhen signing=sha1
   */
  properties?: PropertyRow[];
  /**
   * Optional: a GTM variable that returns an object of visitor variables, e.g. a Data Layer Variable
   * <code>{{DLV - giosgVisitor}}</code> that reads <code>giosgVisitor</code> from
   * <code>dataLayer.push({event: 'giosg.visitor', giosgVisitor: {username: 'Jane', email: 'jane@example.com'}})</code>.
   * Its variables are sent together with the table's; when both have the same key, the table wins.
   * JSON text of an object works too.
   * @title Variables from a GTM variable (object)
   * @valueHint {{DLV - giosgVisitor}}
   * @alwaysInSummary
   * @enableWhen signing=plain
   * @enableWhen signing=md5
   * @enableWhen signing=sha1
   */
  propertiesObject?: string;
  /**
   * Ticked: these variables replace everything sent earlier for this visitor, e.g. on log-in, so
   * nothing of a previous user on the same browser stays. Unticked (usual): they are added, and only
   * variables with the same key are overwritten.
   * @checkboxText Replace the visitor's existing variables
   * @default false
   */
  replaceExisting: boolean;
}

export interface SigningSection {
  /**
   * Signing lets giosg check that the visitor did not change the data (needed when the room requires
   * signatures). <b>Signing always happens on your site's server</b>: the signing key must never reach
   * GTM or the browser, where anyone could read it. Choose <b>Not signed</b> for plain data; a JWT
   * algorithm when your server hands the page a signed token (JSON Web Token), e.g. <b>JWT, HS256</b>
   * for a token made with giosg's API signing key; <b>md5</b> or <b>sha1</b> when your server hands the
   * page a checksum of the variables.
   * @title Signing method
   * @default plain
   * @labels {"plain": "Not signed", "HS256": "JWT, HS256 (recommended)", "HS384": "JWT, HS384", "HS512": "JWT, HS512", "RS256": "JWT, RS256", "RS384": "JWT, RS384", "RS512": "JWT, RS512", "md5": "Checksum, md5", "sha1": "Checksum, sha1"}
   * @alwaysInSummary
   */
  signing: 'plain' | 'HS256' | 'HS384' | 'HS512' | 'RS256' | 'RS384' | 'RS512' | 'md5' | 'sha1';
  /**
   * The JWT your server signed with the algorithm chosen above, usually from a GTM variable such as
   * <code>{{DLV - giosgToken}}</code>. Its payload holds the visitor variables (plus an optional
   * <code>exp</code>). The tag checks that it looks like a JWT and that its header names the same
   * algorithm; it never signs anything itself.
   * @title Signed token (JWT)
   * @valueHint {{DLV - giosgToken}}
   * @minLength 1
   * @pattern \s*([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+|\{\{[^{}]+\}\})\s*
   * @errorMessage Enter a JWT (three parts separated by dots) or a GTM variable that returns one.
   * @enableWhen signing=HS256
   * @enableWhen signing=HS384
   * @enableWhen signing=HS512
   * @enableWhen signing=RS256
   * @enableWhen signing=RS384
   * @enableWhen signing=RS512
   */
  token?: string;
  /**
   * The checksum your server calculated over the variables (sent as <code>_checksum</code>), from a
   * GTM variable such as <code>{{DLV - giosgChecksum}}</code>: 32 hex characters for md5, 40 for sha1.
   * Leave empty when the object variable above already holds <code>_checksum</code>.
   * @title Checksum
   * @valueHint {{DLV - giosgChecksum}}
   * @pattern \s*([0-9a-fA-F]{32}|[0-9a-fA-F]{40}|\{\{[^{}]+\}\})\s*
   * @errorMessage Enter the md5 (32 hex characters) or sha1 (40) checksum, or a GTM variable.
   * @enableWhen signing=md5
   * @enableWhen signing=sha1
   */
  checksum?: string;
  /**
   * Optional: when the checksum expires, as a Unix timestamp in seconds (sent as <code>_exp</code>),
   * e.g. <code>1767225600</code>.
   * @title Checksum expiry
   * @valueHint {{DLV - giosgChecksumExpiry}}
   * @pattern \s*([0-9]+|\{\{[^{}]+\}\})\s*
   * @errorMessage Enter a Unix timestamp in seconds, or a GTM variable.
   * @enableWhen signing=md5
   * @enableWhen signing=sha1
   */
  checksumExpiry?: string;
}

export interface RoomsSection {
  /**
   * The giosg rooms the variables belong to. Leave empty to use your domain's room. If your agents chat
   * in custom rooms, add them here or they will not see the variables. Per row, choose <b>Room ID</b>
   * or <b>Room name</b>. For the ID, open the room's <b>Room settings</b> in the giosg console
   * (Settings → Rooms) and copy its <i>legacy room id</i>, e.g.
   * <code>spgxcgwpj3qkmfvrxqaafh5wd63js3ir5g3omascvqiqacqm</code>.
   * @title Rooms
   * @newRowButtonText Add room
   * @notSetText The domain's room
   */
  rooms?: RoomRow[];
}

export interface ClientSection {
  /**
   * Tick if your site does <b>not</b> already have the giosg tag: the tag then loads giosg's chat
   * client (script v2) from <code>https://service.giosg.com</code>, once per page. Variables sent before
   * it has loaded wait in a queue, so the order of your tags does not matter. On a page that already
   * has giosg's own tag, nothing is loaded a second time: the variables go to the client that tag loads.
   * @title Load the giosg client
   * @checkboxText Load the giosg client on this page
   * @default false
   */
  loadClient: boolean;
  /**
   * Your giosg organization ID: the UUID at the end of giosg's script v2 snippet (the last line,
   * <code>})(window, document, '…')</code>), e.g. <code>826100fd-b473-49b0-bafd-d7332622bae8</code>.
   * @title Organization ID
   * @valueHint 826100fd-b473-49b0-bafd-d7332622bae8
   * @minLength 1
   * @pattern \s*([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|\{\{[^{}]+\}\})\s*
   * @errorMessage Enter the organization ID (a UUID such as 826100fd-b473-49b0-bafd-d7332622bae8).
   * @enableWhen loadClient=true
   * @alwaysInSummary
   */
  organizationId?: string;
}

export interface Fields {
  /**
   * <b>Send</b> visitor variables (e.g. when someone logs in), <b>remove</b> some of them, or
   * <b>remove all</b> of them (e.g. when someone logs out).
   * @title What should this tag do?
   * @radio
   * @default submit
   * @labels {"submit": "Send visitor variables", "remove": "Remove some visitor variables", "removeAll": "Remove all visitor variables (log-out)"}
   * @alwaysInSummary
   */
  action: 'submit' | 'remove' | 'removeAll';
  /**
   * @title What to send
   * @groupStyle NO_ZIPPY
   * @enableWhen action=submit
   */
  variablesSection: VariablesSection;
  /**
   * @title Signing (optional)
   * @groupStyle ZIPPY_OPEN_ON_PARAM
   * @enableWhen action=submit
   */
  signingSection: SigningSection;
  /**
   * @title Rooms (optional)
   * @groupStyle ZIPPY_OPEN_ON_PARAM
   * @enableWhen action=submit
   */
  roomsSection: RoomsSection;
  /**
   * The visitor variables to remove, one per row, e.g. <code>email</code>.
   * @title Variables to remove
   * @newRowButtonText Add variable name
   * @minItems 1
   * @errorMessage Add at least one variable name.
   * @enableWhen action=remove
   * @alwaysInSummary
   */
  removeKeys?: RemoveKeyRow[];
  /**
   * @title giosg client (only for sites without the giosg tag)
   * @groupStyle ZIPPY_OPEN_ON_PARAM
   */
  clientSection: ClientSection;
}

/** The form as `data` carries it: GTM flattens groups into top-level keys. */
export type FlatFields = Omit<
  Fields,
  'variablesSection' | 'signingSection' | 'roomsSection' | 'clientSection'
> &
  VariablesSection &
  SigningSection &
  RoomsSection &
  ClientSection;

/**
 * What the code may assume about `data`: the field names, nothing about the values. A field that
 * holds a GTM variable can return any type at run time, and a hidden field may be missing.
 */
export type UntrustedData = { [K in keyof FlatFields]?: unknown };
