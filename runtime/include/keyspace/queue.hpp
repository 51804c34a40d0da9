#pragma once
// The operations of kind queue (not written yet).

namespace keyspace {}
