// Test fixture for TorchSharp 0.107.0 on Debian 12; see README.md. Never shipped to users.
//
// GCC 13's libstdc++ (GLIBCXX_3.4.32) initialises the standard streams through
// std::ios_base_library_init(), and every object compiled by GCC 13 that includes <iostream>,
// libLibTorchSharp.so among them, references it. GCC 12's libstdc++ (Debian 12) lacks the
// function: it initialises the streams through the static std::ios_base::Init objects that its
// own <iostream> and libstdc++ itself construct, so by the time anything calls this the streams
// are ready and a no-op is enough. Preloaded (LD_PRELOAD) into test processes only.
//
//   g++ -shared -fPIC -O2 -o libmada_ios_init_shim.so ios_base_library_init.cpp
namespace std {
void ios_base_library_init() {}
}  // namespace std
