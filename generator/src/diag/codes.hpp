#pragma once
// Stable diagnostic codes. A code never changes meaning once released; docs/diagnostics.md
// documents each with a failing example and the fix.

namespace keyspace::gen::code {

// Reading the file
inline constexpr const char* kCannotRead = "KS0001";       // missing file, a directory, I/O error
inline constexpr const char* kNotText = "KS0002";          // NUL bytes or invalid UTF-8
inline constexpr const char* kYamlSyntax = "KS0003";       // the YAML parser rejected the file
inline constexpr const char* kEmptyDocument = "KS0004";    // nothing but comments/whitespace
inline constexpr const char* kDuplicateKey = "KS0005";     // the same mapping key twice
inline constexpr const char* kBadIgnore = "KS0006";       // `# keyspace: ignore[...]` without reason, bad code list
inline constexpr const char* kUnusedIgnore = "KS0007";    // (warning) an ignore that suppresses nothing
inline constexpr const char* kInputLimit = "KS0008";      // file size, nesting depth or node count above a limit

// Shape (JSON Schema of the language, schemas/keyspace.schema.json)
inline constexpr const char* kUnknownField = "KS0101";
inline constexpr const char* kMissingField = "KS0102";
inline constexpr const char* kInvalidValue = "KS0103";     // wrong type or value out of range
inline constexpr const char* kUnsupportedVersion = "KS0104";

// Names
inline constexpr const char* kBadName = "KS0201";          // casing of namespaces/keys/params/...
inline constexpr const char* kReservedName = "KS0202";     // clashes with generated C++ names
inline constexpr const char* kBadCppNamespace = "KS0203";

// Key templates
inline constexpr const char* kTemplateSyntax = "KS0301";
inline constexpr const char* kUndeclaredParam = "KS0302";  // {placeholder} not in params
inline constexpr const char* kUnusedParam = "KS0303";      // param never used in the template
inline constexpr const char* kBadLiteral = "KS0304";       // literal segment not [a-z0-9][a-z0-9_-]*
inline constexpr const char* kWrongFirstSegment = "KS0305";
inline constexpr const char* kRepeatedParam = "KS0306";    // the same placeholder twice
inline constexpr const char* kBadHashTag = "KS0307";       // hash_tag names no param of the key
inline constexpr const char* kBadPattern = "KS0308";       // string param pattern is not a regex
inline constexpr const char* kKeyCollision = "KS0309";     // two templates can render the same key
inline constexpr const char* kKeyTooLong = "KS0310";       // longest rendered key above policies.max_key_length
inline constexpr const char* kCrossSlot = "KS0311";        // keys of one script cannot share a cluster slot

// References and kinds
inline constexpr const char* kUnknownType = "KS0401";
inline constexpr const char* kUnknownService = "KS0402";
inline constexpr const char* kUnknownKind = "KS0403";
// KS0404 (kind not emitted yet) is retired: every kind of the language is emitted.
inline constexpr const char* kFieldNotForKind = "KS0405";  // e.g. `tags` on a counter
inline constexpr const char* kBadParamType = "KS0406";
inline constexpr const char* kBadValueType = "KS0407";     // malformed type expression
inline constexpr const char* kRecursiveType = "KS0408";    // a struct containing itself by value
inline constexpr const char* kMissingValue = "KS0409";     // kind needs `value:` and has none
inline constexpr const char* kDuplicateEnumValue = "KS0410";
inline constexpr const char* kTagClash = "KS0412";         // two tags share one invalidate function
inline constexpr const char* kBadKindSetting = "KS0411";   // e.g. refresh_ahead "150%", limit.requests 0

// TTLs
inline constexpr const char* kBadDuration = "KS0501";
inline constexpr const char* kMissingTtl = "KS0502";       // no TTL anywhere and no persistent_reason
inline constexpr const char* kTtlAboveMax = "KS0503";
inline constexpr const char* kTtlConflict = "KS0504";      // a TTL and persistent_reason together
inline constexpr const char* kTtlShorterThanWindow = "KS0505";  // rate_limit TTL below its window
inline constexpr const char* kKindNeedsTtl = "KS0506";     // lock, cache, session, presence with `ttl: none`
inline constexpr const char* kBlankPersistentReason = "KS0507";

// Hygiene (warnings)
inline constexpr const char* kUnusedType = "KS0601";
inline constexpr const char* kIdleService = "KS0602";       // a service that owns and reads nothing
inline constexpr const char* kNoOwner = "KS0603";           // namespace with keys no service owns
inline constexpr const char* kMissingDescription = "KS0604"; // policies.require_descriptions
inline constexpr const char* kShortCacheTtl = "KS0605";     // cache TTL below 1s

// ACLs (`keyspace acl`)
inline constexpr const char* kAclInexact = "KS0701";    // a key pattern would grant other templates' keys too
inline constexpr const char* kAclDegraded = "KS0702";   // Redis 6.2: reads granted as read-write, and the like
inline constexpr const char* kAclPasswordClash = "KS0703";  // two users' password placeholders would be one variable

}  // namespace keyspace::gen::code
