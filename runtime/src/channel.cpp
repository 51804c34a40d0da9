#include "keyspace/channel.hpp"
