#pragma once
// The operations of kind collections (not written yet).

namespace keyspace {}
