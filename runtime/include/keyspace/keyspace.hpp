#pragma once
// Everything generated code needs from the runtime.

#include "keyspace/client.hpp"
#include "keyspace/codec.hpp"
#include "keyspace/errors.hpp"
#include "keyspace/escape.hpp"
#include "keyspace/key_builder.hpp"
#include "keyspace/key_spec.hpp"
#include "keyspace/ops.hpp"
#include "keyspace/options.hpp"
#include "keyspace/reply.hpp"
#include "keyspace/version.hpp"
