/**
 * One error tree for the whole project. Every error we throw on purpose is a MicstreamError with a
 * stable `code` (catalogued in docs/ERRORS.md, kept in sync by test/errors.test.ts), a `retriable`
 * flag that the retry helper trusts, and an optional `cause` for wrapped third-party errors.
 * Recognise errors by class or code, never by message text.
 */
export const ERROR_CODES = {
    INVALID_EVENT: 'MICSTREAM_ERR_INVALID_EVENT',
    CONFIG: 'MICSTREAM_ERR_CONFIG',
    BACKEND_UNAVAILABLE: 'MICSTREAM_ERR_BACKEND_UNAVAILABLE',
    UNKNOWN_ID: 'MICSTREAM_ERR_UNKNOWN_ID',
    BAD_REQUEST: 'MICSTREAM_ERR_BAD_REQUEST',
    INDEX_NOT_READY: 'MICSTREAM_ERR_INDEX_NOT_READY',
    INDEX: 'MICSTREAM_ERR_INDEX',
    DATASET: 'MICSTREAM_ERR_DATASET',
    KAFKA: 'MICSTREAM_ERR_KAFKA',
    TOPOLOGY: 'MICSTREAM_ERR_TOPOLOGY',
    INDEX_ARTIFACT: 'MICSTREAM_ERR_INDEX_ARTIFACT',
    CHECKPOINT: 'MICSTREAM_ERR_CHECKPOINT',
    NOT_FOUND: 'MICSTREAM_ERR_NOT_FOUND',
    METHOD: 'MICSTREAM_ERR_METHOD',
    INTERNAL: 'MICSTREAM_ERR_INTERNAL',
    STANDBY_STOPPED: 'MICSTREAM_ERR_STANDBY_STOPPED',
};
/**
 * The HTTP status each code answers with when it reaches the recall API: the only place statuses
 * of errors are written down. Codes that never reach HTTP answer 500 (`INTERNAL`) if one does.
 */
export const HTTP_STATUS = Object.freeze({
    [ERROR_CODES.BAD_REQUEST]: 400,
    [ERROR_CODES.UNKNOWN_ID]: 404,
    [ERROR_CODES.NOT_FOUND]: 404,
    [ERROR_CODES.METHOD]: 405,
    [ERROR_CODES.INTERNAL]: 500,
    [ERROR_CODES.INDEX_NOT_READY]: 503,
});
/** The status and JSON body of an error answered over HTTP; anything but a MicstreamError is an internal error. */
export function httpError(error) {
    const e = error instanceof MicstreamError ? error : null;
    const code = e?.code ?? ERROR_CODES.INTERNAL;
    const status = HTTP_STATUS[code] ?? 500;
    const message = e ? e.message : 'internal error (see the server log)';
    return { status, body: { error: { status, code, message } } };
}
export class MicstreamError extends Error {
    code;
    retriable;
    constructor(code, message, options = {}) {
        super(message, options.cause === undefined ? undefined : { cause: options.cause });
        this.name = new.target.name;
        this.code = code;
        this.retriable = options.retriable ?? false;
    }
}
/**
 * Every way an interaction event can be invalid. The reason is a label on the
 * `micstream_events_invalid_total` metric and the dead-letter header, so the set is closed.
 */
export const INVALID_EVENT_REASONS = [
    'not_json',
    'not_object',
    'oversize',
    'missing_field',
    'wrong_type',
    'unknown_field',
    'string_too_long',
    'too_many_attributes',
    'invalid_value',
    'timestamp_in_future',
];
export class InvalidEventError extends MicstreamError {
    reason;
    /** Dotted path of the offending field, when there is one. */
    field;
    constructor(reason, message, field, options = {}) {
        super(ERROR_CODES.INVALID_EVENT, message, { ...options, retriable: false });
        this.reason = reason;
        this.field = field;
    }
}
/** An error that lists every problem found, so that a user fixes them all in one go. */
export class ProblemListError extends MicstreamError {
    problems;
    constructor(code, what, problems) {
        super(code, `invalid ${what}:\n  - ${problems.join('\n  - ')}`);
        this.problems = problems;
    }
}
export class ConfigError extends ProblemListError {
    constructor(problems) {
        super(ERROR_CODES.CONFIG, 'configuration', problems);
    }
}
export class BackendUnavailableError extends MicstreamError {
    constructor(backend, cause) {
        super(ERROR_CODES.BACKEND_UNAVAILABLE, `TF.js backend "${backend}" is not available`, { cause });
    }
}
export class UnknownIdError extends MicstreamError {
    kind;
    id;
    constructor(kind, id) {
        super(ERROR_CODES.UNKNOWN_ID, `unknown ${kind} id "${id}" (not in the current index)`);
        this.kind = kind;
        this.id = id;
    }
}
export class BadRequestError extends MicstreamError {
    constructor(message) {
        super(ERROR_CODES.BAD_REQUEST, message);
    }
}
/** A request for a path the API does not have. */
export class RouteNotFoundError extends MicstreamError {
    constructor(message) {
        super(ERROR_CODES.NOT_FOUND, message);
    }
}
/** A request with a method other than GET / HEAD. */
export class MethodNotAllowedError extends MicstreamError {
    constructor(method) {
        super(ERROR_CODES.METHOD, `method ${method} is not allowed; use GET`);
    }
}
export class IndexNotReadyError extends MicstreamError {
    constructor() {
        super(ERROR_CODES.INDEX_NOT_READY, 'no index has been published yet', { retriable: true });
    }
}
export class IndexError extends MicstreamError {
    constructor(message, cause) {
        super(ERROR_CODES.INDEX, message, { cause });
    }
}
export class DatasetError extends MicstreamError {
    constructor(message, cause) {
        super(ERROR_CODES.DATASET, message, { cause });
    }
}
/** A Kafka client error, wrapped at the adapter; `retriable` mirrors kafkajs's own flag. */
export class KafkaAdapterError extends MicstreamError {
    constructor(message, cause) {
        super(ERROR_CODES.KAFKA, message, { cause, retriable: Boolean(cause?.retriable) });
    }
}
export class TopologyError extends ProblemListError {
    constructor(problems) {
        super(ERROR_CODES.TOPOLOGY, 'topology', problems);
    }
}
/** A published index version that is incomplete, torn or fails its checksum. */
export class IndexArtifactError extends MicstreamError {
    constructor(message, cause) {
        super(ERROR_CODES.INDEX_ARTIFACT, message, { cause });
    }
}
/** A learner checkpoint that cannot be written, or one on disk that is partial, corrupt or from an incompatible configuration. */
export class CheckpointError extends MicstreamError {
    constructor(message, cause) {
        super(ERROR_CODES.CHECKPOINT, message, { cause });
    }
}
/** A standby learner was stopped before it became the writer: it wrote nothing (the CLI exits 0). */
export class StandbyStoppedError extends MicstreamError {
    constructor() {
        super(ERROR_CODES.STANDBY_STOPPED, 'stopped while waiting as a standby for the writer lease');
    }
}
//# sourceMappingURL=errors.js.map