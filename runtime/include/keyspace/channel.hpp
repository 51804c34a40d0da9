#pragma once
// The operations of kind channel (not written yet).

namespace keyspace {}
