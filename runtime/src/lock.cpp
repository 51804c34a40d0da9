#include "keyspace/lock.hpp"
