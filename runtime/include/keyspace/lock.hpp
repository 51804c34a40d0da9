#pragma once
// The operations of kind lock (not written yet).

namespace keyspace {}
