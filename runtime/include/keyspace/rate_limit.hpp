#pragma once
// The operations of kind rate_limit (not written yet).

namespace keyspace {}
