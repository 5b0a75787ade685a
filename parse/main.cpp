#include <cstdio>
int main() { std::fputs("trialmill-parse: not implemented yet\n", stderr); return 2; }
