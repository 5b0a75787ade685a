#include <cstdio>
int main() { std::fputs("trialmill-store: not implemented yet\n", stderr); return 2; }
