#include "emit/cpp/kind_views.hpp"

#include <string>

#include "model/duration.hpp"

namespace keyspace::gen {
namespace {

// queue: the limits of the schema become literals of the generated calls, so a reader of the
// header sees them next to the operation they bound.
void add_queue_view(const Key& key, mstch::data& view) {
  view.set("max_length", std::to_string(key.max_length.value_or(0)));
  if (key.max_length) view.set("max_length_text", std::to_string(*key.max_length));
  if (key.visibility_timeout) {
    view.set("visibility_timeout_ms", std::to_string(key.visibility_timeout->count()));
    view.set("visibility_timeout_text", format_duration(*key.visibility_timeout));
  }
}

}  // namespace

void add_messaging_view(const Key& key, const Schema&, mstch::data& view) {
  if (key.kind == Kind::queue) add_queue_view(key, view);
  // channel: the shared view (key calls render the channel name, codec) is all it needs.
}

}  // namespace keyspace::gen
