#include "keyspace/queue.hpp"
