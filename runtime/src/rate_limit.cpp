#include "keyspace/rate_limit.hpp"
