#include "keyspace/session.hpp"
