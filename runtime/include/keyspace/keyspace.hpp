#pragma once
// What a generated header includes: the API service code uses (this folder: client, options,
// errors, observer, batch, params, ttl, version; metrics_observer.hpp on request) and what the
// generated accessors call (keyspace/kinds/: the kinds' operations, keyspace/codec/: the value
// codecs). keyspace/detail/ is the runtime's own plumbing and not part of it.

#include "keyspace/batch.hpp"
#include "keyspace/client.hpp"
#include "keyspace/codec/codec.hpp"
#include "keyspace/errors.hpp"
#include "keyspace/key_spec.hpp"
#include "keyspace/kinds/cache.hpp"
#include "keyspace/kinds/channel.hpp"
#include "keyspace/kinds/collections.hpp"
#include "keyspace/kinds/companion.hpp"
#include "keyspace/kinds/delete_all.hpp"
#include "keyspace/kinds/geo.hpp"
#include "keyspace/kinds/get_many.hpp"
#include "keyspace/kinds/key_builder.hpp"
#include "keyspace/kinds/lock.hpp"
#include "keyspace/kinds/ops.hpp"
#include "keyspace/kinds/queue.hpp"
#include "keyspace/kinds/rate_limit.hpp"
#include "keyspace/kinds/session.hpp"
#include "keyspace/kinds/tags.hpp"
#include "keyspace/observer.hpp"
#include "keyspace/options.hpp"
#include "keyspace/params.hpp"
#include "keyspace/ttl.hpp"
#include "keyspace/version.hpp"
