#include "keyspace/collections.hpp"
