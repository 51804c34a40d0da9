#pragma once
// The operations of kind cache (not written yet).

namespace keyspace {}
