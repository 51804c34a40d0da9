#pragma once
// The operations of kind session (not written yet).

namespace keyspace {}
