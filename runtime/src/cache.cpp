#include "keyspace/cache.hpp"
